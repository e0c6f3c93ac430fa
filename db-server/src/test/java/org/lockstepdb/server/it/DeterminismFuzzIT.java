package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The determinism fuzzer (docs/TESTING.md): generated statements on a 3-replica cluster where replicas are
 * restarted (clean, crashed, rebuilt from a snapshot, installing the leader's snapshot after a purge) at seeded
 * random points; every reply must equal the always-open reference replica's, and {@code verify} must agree at
 * every checkpoint and at the end.
 *
 * <p>Bounded by default (fixed seeds, a few hundred statements each). Longer runs: {@code bin/fuzz}, or
 * <pre>mvn -B -q verify -pl db-server -am -Dit.test=DeterminismFuzzIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfuzz.seeds=1,2,3 -Dfuzz.statements=3000 -Dfuzz.known=all</pre>
 * {@code fuzz.seeds} also takes {@code random:N} (N fresh seeds, printed). {@code fuzz.known} chooses which
 * {@link FuzzGenerator.Known} families of statements (and checks) with a divergence that is known and not yet
 * fixed are included: {@code all}, {@code none}, or a list such as {@code ROWID,ROW_ORDER}.
 */
class DeterminismFuzzIT {
    private static final Logger LOG = LoggerFactory.getLogger(DeterminismFuzzIT.class);
    /** The default run's seeds: they pass with {@link #DEFAULT_KNOWN}. */
    static final long[] DEFAULT_SEEDS = {1, 2};
    static final int DEFAULT_STATEMENTS = 700;
    /** Known divergence families included by default: those whose fixes have landed (add others as they do). */
    static final Set<FuzzGenerator.Known> DEFAULT_KNOWN = EnumSet.of(FuzzGenerator.Known.ROWID,
            FuzzGenerator.Known.ROW_ORDER, FuzzGenerator.Known.RAND_STREAM, FuzzGenerator.Known.TOP_N_TIES,
            FuzzGenerator.Known.FORCE_VIEW, FuzzGenerator.Known.SELF_MERGE, FuzzGenerator.Known.CLOCK_DEFAULTS,
            FuzzGenerator.Known.METADATA, FuzzGenerator.Known.IDENTITY);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void replicasStayIdenticalUnderGeneratedStatementsAndFaults() throws Exception {
        int statements = Integer.getInteger("fuzz.statements", DEFAULT_STATEMENTS);
        Set<FuzzGenerator.Known> known = known(System.getProperty("fuzz.known"));
        List<String> failures = new ArrayList<>();
        for (long seed : seeds(System.getProperty("fuzz.seeds"))) {
            String failure = runSeed(dir.resolve("seed-" + seed), seed, statements, known);
            if (failure != null) {
                failures.add(failure);
                if (!Boolean.getBoolean("fuzz.keepGoing")) {
                    break;
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n\n", failures));
        }
    }

    /** Runs one seed; returns the failure report (also written to target/fuzz-failures/) or null. */
    static String runSeed(Path dir, long seed, int statements, Set<FuzzGenerator.Known> known) throws Exception {
        FuzzGenerator.Config config = FuzzGenerator.Config.defaults(statements).withKnown(known);
        long t0 = System.nanoTime();
        LOG.info("fuzz seed {}: {} statements, known divergences included: {}", seed, statements, known);
        try (FuzzRunner runner = new FuzzRunner(dir, seed, known)) {
            FuzzRunner.Failure failure = runner.run(new FuzzGenerator(seed, config));
            LOG.info("fuzz seed {}: {} in {} ms: {}", seed, failure == null ? "passed" : "FAILED",
                    (System.nanoTime() - t0) / 1_000_000, runner.stats());
            if (failure == null) {
                return null;
            }
            String report = failure.report() + "\n(known divergences included: " + known + ", statements: "
                    + statements + ")";
            Path out = Path.of("target", "fuzz-failures", "seed-" + seed + ".txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            Files.writeString(out.resolveSibling("seed-" + seed + ".all.txt"), String.join("\n", failure.all()) + "\n");
            LOG.error("{}\n(report written to {}; every step of the run in seed-{}.all.txt)", report,
                    out.toAbsolutePath(), seed);
            return report;
        }
    }

    static long[] seeds(String property) {
        if (property == null || property.isBlank()) {
            return DEFAULT_SEEDS;
        }
        if (property.startsWith("random:")) {
            int n = Integer.parseInt(property.substring("random:".length()));
            long[] seeds = new java.util.SplittableRandom().longs(n, 0, Long.MAX_VALUE).toArray();
            LOG.info("fuzz: random seeds {}", Arrays.toString(seeds));
            return seeds;
        }
        return Arrays.stream(property.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
    }

    static Set<FuzzGenerator.Known> known(String property) {
        if (property == null || property.isBlank()) {
            return DEFAULT_KNOWN;
        }
        if (property.equalsIgnoreCase("all")) {
            return EnumSet.allOf(FuzzGenerator.Known.class);
        }
        if (property.equalsIgnoreCase("none")) {
            return EnumSet.noneOf(FuzzGenerator.Known.class);
        }
        Set<FuzzGenerator.Known> set = EnumSet.noneOf(FuzzGenerator.Known.class);
        for (String s : property.split(",")) {
            set.add(FuzzGenerator.Known.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT)));
        }
        return set;
    }
}
