package org.lockstepdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench machinery on embedded H2 and on the no-op Ratis cluster; no timing or throughput is asserted. */
class BenchRunnerTest {
    private static final WorkloadRunner.Settings TINY = WorkloadRunner.Settings.of(2, Duration.ZERO, Duration.ofSeconds(1));

    @Test
    void runsSqlWorkloadsOnEmbeddedH2AndReportsThem() throws Exception {
        Path dir;
        BenchResult insert;
        BenchResult batch;
        BenchResult select;
        try (EmbeddedH2Target h2 = EmbeddedH2Target.create()) {
            dir = h2.dir();
            insert = WorkloadRunner.runJdbc("h2", SqlWorkloads.insert(), TINY, h2);
            batch = WorkloadRunner.runJdbc("h2", SqlWorkloads.batch(10, true), TINY, h2);
            select = WorkloadRunner.runJdbc("h2", SqlWorkloads.select("select", 100), TINY, h2);
        }
        assertThat(dir).doesNotExist();

        for (BenchResult r : List.of(insert, batch, select)) {
            assertThat(r.ops()).as(r.workload()).isPositive();
            assertThat(r.errors()).as(r.workload() + ": " + r.firstError()).isZero();
            assertThat(r.clients()).isEqualTo(2);
            assertThat(r.latencyNanos().getTotalCount()).isEqualTo(r.ops());
        }
        assertThat(insert.rows()).isEqualTo(insert.ops());
        assertThat(batch.rows()).isEqualTo(batch.ops() * 10);

        List<BenchResult> results = List.of(insert, batch, select);
        String[] tsv = ResultReport.tsv(results).split("\n");
        assertThat(tsv).hasSize(4);
        assertThat(tsv[0].split("\t")).containsExactly("system", "workload", "clients", "seconds", "ops", "rows",
                "errors", "ops_per_s", "rows_per_s", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms", "aborts", "abort_rate");
        assertThat(tsv[1].split("\t")).hasSize(16).startsWith("h2", "insert", "2");
        assertThat(tsv[2].split("\t")[1]).isEqualTo("batch");

        BenchOptions options = new BenchOptions(null, 2, 1, 0, 10, BenchOptions.parseWorkloads("all"),
                BenchOptions.parseBaselines("h2"), 100, null, null);
        String json = ResultReport.json(options, results, null);
        for (String key : ResultReport.TSV_COLUMNS) {
            assertThat(json).contains("\"" + key + "\": ");
        }
        assertThat(json).contains("\"settings\": {", "\"results\": [", "\"ratios\": [", "\"aborted\": null",
                "\"workloads\": [\"insert\", \"batch\", \"select-linearizable\", \"select-follower\", \"transfer\"]");
        assertThat(ResultReport.table(results)).contains("== insert ==", "== batch ==", "== select ==", "p99 ms");
    }

    @Test
    void noOpRaftClusterAcceptsWrites(@TempDir Path dir) throws Exception {
        BenchResult r;
        try (NoOpCluster cluster = NoOpCluster.start(dir.resolve("noop"), 3)) {
            r = WorkloadRunner.run("noop", "insert", TINY, cluster.insertClients());
        }
        assertThat(r.ops()).isPositive();
        assertThat(r.rows()).isEqualTo(r.ops());
        assertThat(r.errors()).as(String.valueOf(r.firstError())).isZero();
    }

    @Test
    void ratiosCompareLockstepWithBaselinesOfTheSameRun() throws Exception {
        BenchResult lockstep = fixed("lockstep", "select-follower", 100);
        BenchResult h2 = fixed("h2", "select", 400);
        List<ResultReport.Ratio> ratios = ResultReport.ratios(List.of(lockstep, h2));
        assertThat(ratios).singleElement().satisfies(q -> {
            assertThat(q.name()).isEqualTo("lockstep/h2 select-follower ops_per_s");
            assertThat(q.value()).isEqualTo(0.25);
        });
    }

    @Test
    void countsFailuresAsErrorsAndAbortsAboveOnePercent() throws Exception {
        BenchResult r = WorkloadRunner.run("test", "failing", TINY, i -> new WorkloadRunner.Client() {
            @Override
            public int runOnce(long opIndex) throws Exception {
                if (opIndex % 2 == 0) {
                    throw new java.sql.SQLException("boom");
                }
                return 1;
            }

            @Override
            public void close() {
            }
        });
        assertThat(r.ops()).isPositive();
        assertThat(r.errors()).isPositive();
        assertThat(r.firstError()).contains("boom");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkloadRunner.requireFewErrors(r))
                .isInstanceOf(BenchAbortedException.class).hasMessageContaining("failed");
    }

    @Test
    void appendsTheReadOptionToTheUrl() {
        assertThat(LockstepTarget.withOption("jdbc:lockstep://a:1,b:2", "read", "follower"))
                .isEqualTo("jdbc:lockstep://a:1,b:2?read=follower");
        assertThat(LockstepTarget.withOption("jdbc:lockstep://a:1?timeoutMs=5", "read", "linearizable"))
                .isEqualTo("jdbc:lockstep://a:1?timeoutMs=5&read=linearizable");
        assertThat(LockstepTarget.withOption("jdbc:lockstep://a:1?READ=stale&retries=3", "read", "follower"))
                .isEqualTo("jdbc:lockstep://a:1?retries=3&read=follower");
        assertThat(LockstepTarget.withOption("jdbc:lockstep://a:1?", "read", "follower"))
                .isEqualTo("jdbc:lockstep://a:1?read=follower");
    }

    @Test
    void deletesDirectoriesRecursively(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("x");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/f"), "data");
        TempDirs.deleteRecursively(root);
        assertThat(root).doesNotExist();
        TempDirs.deleteRecursively(root); // missing is fine
    }

    private static BenchResult fixed(String system, String workload, long ops) {
        return new BenchResult(system, workload, 1, 1.0, ops, ops, 0, 0, new org.HdrHistogram.Histogram(3), null);
    }
}
