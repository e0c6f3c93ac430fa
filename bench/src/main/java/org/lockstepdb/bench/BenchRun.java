package org.lockstepdb.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.lockstepdb.server.LocalCluster;
import org.lockstepdb.server.LockstepNode;

/**
 * One {@code lockstep bench} run: LockstepDB (a running cluster, or a temporary in-process 3-replica
 * {@link LocalCluster}), then the no-op Ratis baseline ({@link NoOpCluster}), then embedded H2
 * ({@link EmbeddedH2Target}), each workload with the same clients, warm-up and duration; then the report.
 *
 * <p>LockstepDB goes first, so it is measured in the least warmed-up JVM: on a short run the ratios are biased
 * against LockstepDB, not in its favour. Everything started is stopped and every temporary directory deleted,
 * also when a workload aborts or the JVM is interrupted.
 */
public final class BenchRun {
    private static final int LOCAL_NODES = 3;
    private static final long LEADER_WAIT_MILLIS = 60_000;

    private final BenchOptions options;
    private final PrintStream out;
    private final List<BenchResult> results = new ArrayList<>();
    private final Cleanup cleanup = new Cleanup();

    /**
     * What a finished run measured and how the command should exit.
     *
     * @param results  one per workload and target measured, in run order
     * @param aborted  why the run stopped early, or null
     * @param exitCode 0 done; 1 the run was aborted (a workload over 1% failed operations, or one could not run) or
     *                 a requested summary file could not be written
     */
    public record Summary(List<BenchResult> results, String aborted, int exitCode) {
    }

    private BenchRun(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the benchmark, prints the report to {@code out}, writes the requested files. Never throws. */
    public static Summary run(BenchOptions options, PrintStream out) {
        return new BenchRun(options, out).run();
    }

    private Summary run() {
        Thread hook = new Thread(cleanup::runAll, "lockstep-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        String aborted = null;
        printPlan();
        try {
            runLockstep();
            if (options.baselines().contains(BenchOptions.NOOP) && options.runs(BenchOptions.INSERT)) {
                runNoop();
            }
            if (options.baselines().contains(BenchOptions.H2)) {
                runH2();
            }
        } catch (BenchAbortedException e) {
            aborted = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            aborted = "interrupted";
        } catch (Exception e) {
            aborted = "benchmark failed: " + WorkloadRunner.describe(e);
        } finally {
            cleanup.runAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
        return report(aborted);
    }

    private void printPlan() {
        int runs = options.workloads().size();
        if (options.runs(BenchOptions.TRANSFER)) {
            runs += options.transferClients().size() - 1;
            if (options.runs(BenchOptions.INSERT)) {
                runs += (int) options.transferClients().stream().filter(c -> c != options.clients()).count();
            }
        }
        if (options.baselines().contains(BenchOptions.NOOP) && options.runs(BenchOptions.INSERT)) {
            runs++;
        }
        if (options.baselines().contains(BenchOptions.H2)) {
            runs += (options.runs(BenchOptions.INSERT) ? 1 : 0) + (options.runs(BenchOptions.BATCH) ? 1 : 0)
                    + (options.runsAnySelect() ? 1 : 0);
        }
        out.printf(Locale.ROOT, "lockstep bench: %d clients, %d s warm-up + %d s measured per run, %d runs (about %d s"
                        + " plus start-up)%n", options.clients(), options.warmupSeconds(), options.durationSeconds(),
                runs, (long) runs * (options.warmupSeconds() + options.durationSeconds()));
        if (options.warmupSeconds() < 100) {
            out.println("note: a fresh JVM runs 5-10x slower for its first ~100 s (JIT); use --warmup 100 or more for"
                    + " stable figures, and compare ratios, not absolute numbers");
        }
        out.flush();
    }

    private void runLockstep() throws Exception {
        if (options.url() != null) {
            runLockstepWorkloads(new LockstepTarget(options.url()));
            return;
        }
        Path dir = TempDirs.create("lockstep-bench-cluster-");
        try (Cleanup.Step deleteDir = cleanup.push("delete " + dir, () -> TempDirs.deleteRecursively(dir))) {
            out.println("starting a temporary " + LOCAL_NODES + "-replica LockstepDB cluster in " + dir);
            out.flush();
            LocalCluster cluster = LocalCluster.start(dir, LOCAL_NODES, freePort());
            try (Cleanup.Step stop = cleanup.push("stop the temporary cluster", cluster::close)) {
                awaitLeader(cluster);
                out.println("cluster ready: " + cluster.jdbcUrl());
                runLockstepWorkloads(new LockstepTarget(cluster.jdbcUrl()));
            }
        }
    }

    private void runLockstepWorkloads(LockstepTarget target) throws Exception {
        String system = BenchOptions.LOCKSTEP;
        if (options.runs(BenchOptions.INSERT)) {
            measure(system, SqlWorkloads.insert(), target.plain());
        }
        if (options.runs(BenchOptions.BATCH)) {
            measure(system, SqlWorkloads.batch(options.batch(), false), target.plain());
        }
        if (options.runs(BenchOptions.SELECT_LINEARIZABLE)) {
            measure(system, SqlWorkloads.select(BenchOptions.SELECT_LINEARIZABLE, options.rows()),
                    target.reading("linearizable"));
        }
        if (options.runs(BenchOptions.SELECT_FOLLOWER)) {
            measure(system, SqlWorkloads.select(BenchOptions.SELECT_FOLLOWER, options.rows()),
                    target.reading("follower"));
        }
        if (options.runs(BenchOptions.TRANSFER)) {
            for (int clients : options.transferClients()) {
                if (options.runs(BenchOptions.INSERT) && clients != options.clients()) {
                    measure(system, SqlWorkloads.insert(), target.plain(), clients); // the baseline at this count
                }
                measure(system, new BankTransfers(options.accounts()), target.plain(), clients);
            }
        }
    }

    private void runNoop() throws Exception {
        Path dir = TempDirs.create("lockstep-bench-noop-");
        try (Cleanup.Step deleteDir = cleanup.push("delete " + dir, () -> TempDirs.deleteRecursively(dir))) {
            out.println("starting a temporary " + LOCAL_NODES + "-server no-op Ratis cluster in " + dir);
            out.flush();
            NoOpCluster cluster = NoOpCluster.start(dir, LOCAL_NODES);
            try (Cleanup.Step stop = cleanup.push("stop the no-op cluster", cluster::close)) {
                announce(BenchOptions.NOOP, BenchOptions.INSERT);
                record(WorkloadRunner.run(BenchOptions.NOOP, BenchOptions.INSERT, options.runnerSettings(),
                        cluster.insertClients()));
            }
        }
    }

    private void runH2() throws Exception {
        EmbeddedH2Target h2 = EmbeddedH2Target.create();
        try (Cleanup.Step delete = cleanup.push("delete " + h2.dir(), h2::close)) {
            String system = BenchOptions.H2;
            if (options.runs(BenchOptions.INSERT)) {
                measure(system, SqlWorkloads.insert(), h2);
            }
            if (options.runs(BenchOptions.BATCH)) {
                measure(system, SqlWorkloads.batch(options.batch(), true), h2);
            }
            if (options.runsAnySelect()) {
                measure(system, SqlWorkloads.select(BenchOptions.SELECT, options.rows()), h2);
            }
        }
    }

    private void measure(String system, Workload workload, WorkloadRunner.ConnectionSource source)
            throws SQLException, InterruptedException, BenchAbortedException {
        measure(system, workload, source, options.clients());
    }

    private void measure(String system, Workload workload, WorkloadRunner.ConnectionSource source, int clients)
            throws SQLException, InterruptedException, BenchAbortedException {
        announce(system, workload.name(), clients);
        record(WorkloadRunner.runJdbc(system, workload, options.runnerSettings(clients), source));
    }

    private void announce(String system, String workload) {
        announce(system, workload, options.clients());
    }

    private void announce(String system, String workload, int clients) {
        out.printf(Locale.ROOT, "running %-8s %-20s %d clients, %d s warm-up, %d s measured ...%n", system, workload,
                clients, options.warmupSeconds(), options.durationSeconds());
        out.flush();
    }

    private void record(BenchResult r) throws BenchAbortedException {
        results.add(r);
        out.printf(Locale.ROOT, "  %d ops (%d rows) in %.1f s: %.1f ops/s, %.1f rows/s, p50 %.3f ms, p99 %.3f ms,"
                        + " %d errors%n", r.ops(), r.rows(), r.seconds(), r.opsPerSecond(), r.rowsPerSecond(),
                r.percentileMillis(50), r.percentileMillis(99), r.errors());
        if (r.retries() > 0) {
            out.printf(Locale.ROOT, "  %d aborted attempts (40001) retried: abort rate %.1f%%%n", r.retries(),
                    100 * r.abortRate());
        }
        if (r.note() != null) {
            out.println("  checked: " + r.note());
        }
        if (r.errors() > 0 && r.firstError() != null) {
            out.println("  first error: " + r.firstError());
        }
        out.flush();
        WorkloadRunner.requireFewErrors(r);
    }

    private Summary report(String aborted) {
        out.println();
        out.print(ResultReport.table(results));
        out.println();
        out.println("== TSV ==");
        String tsv = ResultReport.tsv(results);
        out.print(tsv);
        int exit = aborted == null ? 0 : 1;
        try {
            if (options.tsv() != null) {
                write(options.tsv(), tsv);
            }
            if (options.json() != null) {
                write(options.json(), ResultReport.json(options, results, aborted));
            }
        } catch (IOException e) {
            System.err.println("bench: cannot write the summary: " + e);
            exit = 1;
        }
        if (aborted != null) {
            out.println();
            out.println("BENCHMARK ABORTED: " + aborted);
            System.err.println("bench: aborted: " + aborted);
        }
        out.flush();
        return new Summary(List.copyOf(results), aborted, exit);
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void awaitLeader(LocalCluster cluster) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LEADER_WAIT_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            for (LockstepNode node : cluster.nodes()) {
                if (node.isLeader()) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("the temporary cluster elected no leader within " + LEADER_WAIT_MILLIS + " ms");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort() < 65530 ? s.getLocalPort() : 40000;
        }
    }
}
