package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstepdb.server.it.FuzzGenerator.Known;
import org.lockstepdb.server.it.FuzzStep.Start;
import org.lockstepdb.server.it.FuzzStep.Stop;
import org.lockstepdb.server.it.FuzzStep.StopMode;
import org.lockstepdb.server.it.FuzzStep.Verify;
import org.lockstepdb.server.it.FuzzStep.Write;

/**
 * Divergences the determinism fuzzer found, minimized to a few steps, and the seeds that found them
 * (docs/TESTING.md). Each waits for the fix of its {@link Known} family: it is skipped until the family is in
 * {@link #FIXED} (or in {@code -Dfuzz.fixed=ROWID,...}, to try a fix before recording it here). When a fix lands,
 * add its family to {@link #FIXED}: from then on these tests guard it, and DeterminismFuzzIT should include the
 * family by default ({@link DeterminismFuzzIT#DEFAULT_KNOWN}).
 */
class DeterminismRegressionIT {
    /** Families whose fix has landed. */
    static final Set<Known> FIXED = EnumSet.of(Known.ROWID, Known.ROW_ORDER, Known.RAND_STREAM, Known.TOP_N_TIES,
            Known.FORCE_VIEW, Known.SELF_MERGE, Known.METADATA, Known.IDENTITY);

    /** A fuzz seed that failed, with the settings it failed with. */
    record RegressionSeed(long seed, int statements, Set<Known> known, Known waitsFor, String found) {
        @Override
        public String toString() {
            return "seed " + seed + " (" + waitsFor + ": " + found + ")";
        }
    }

    static List<RegressionSeed> regressionSeeds() {
        return List.of(
                new RegressionSeed(3, 1000, EnumSet.of(Known.ROW_ORDER, Known.ROWID, Known.RAND_STREAM),
                        Known.RAND_STREAM, "probe rows of entries @115 and @121 share RAND/UUID values"),
                new RegressionSeed(1, 1200, EnumSet.of(Known.ROW_ORDER, Known.ROWID), Known.ROWID,
                        "UPDATE T3_COPY SET b = T3_COPY._ROWID_ after n2 installed the leader's snapshot"),
                new RegressionSeed(4, 1200, EnumSet.of(Known.ROW_ORDER, Known.ROWID), Known.ROWID,
                        "INSERT … SELECT s._ROWID_ + n after a rebuild: the reads differ from the reference"),
                new RegressionSeed(5, 1000, EnumSet.of(Known.TOP_N_TIES), Known.TOP_N_TIES,
                        "INSERT … SELECT … ORDER BY s.a FETCH FIRST 7: each replica picks other ties, no fault needed"),
                new RegressionSeed(4, 1500, EnumSet.noneOf(Known.class), Known.IDENTITY,
                        "T3's identity on n2 is 6 behind after a clean restart: n2 had installed snapshots, then ALTER TABLE "
                                + "T3 ADD/DROP COLUMN x; the 6 values handed out since were lost"),
                new RegressionSeed(5, 1200, EnumSet.of(Known.ROW_ORDER, Known.ROWID, Known.SELF_MERGE), Known.SELF_MERGE,
                        "MERGE INTO T4 KEY (id) SELECT … FROM T4: lock timeout on every replica, cluster stops"));
    }

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("regressionSeeds")
    void regressionSeed(RegressionSeed s) throws Exception {
        // each seed is a whole fuzz run (1-2 minutes); the minimized tests below hold every fixed family in
        // `mvn verify`, the seeds run with -Dfuzz.regressionSeeds=true (`bin/fuzz regression`)
        Assumptions.assumeTrue(Boolean.getBoolean("fuzz.regressionSeeds"),
                "regression seeds run with -Dfuzz.regressionSeeds=true (bin/fuzz regression)");
        waitFor(s.waitsFor());
        String failure = DeterminismFuzzIT.runSeed(dir, s.seed(), s.statements(), s.known());
        assertThat(failure).as("seed %d", s.seed()).isNull();
    }

    /**
     * RAND()/RANDOM_UUID() seed a SplittableRandom with {@code index * GOLDEN_GAMMA}, which is also its step: draw
     * k of entry n is draw k - 2 of entry n + 2 (consecutive writes are two log indexes apart), so values repeat.
     */
    @Test
    void randomValuesOfNearbyEntriesDoNotRepeat() throws Exception {
        waitFor(Known.RAND_STREAM);
        run(EnumSet.of(Known.RAND_STREAM),
                Write.of("CREATE TABLE " + FuzzGenerator.PROBE_TABLE + " (k INT, r DOUBLE, u UUID)"),
                Write.of("INSERT INTO RAND_PROBE (k, r) SELECT 1, RAND() FROM SYSTEM_RANGE(1, 10)"),
                Write.of("INSERT INTO RAND_PROBE (k, r) SELECT 2, RAND() FROM SYSTEM_RANGE(1, 10)"),
                new Verify());
    }

    /**
     * H2 analyzes a table automatically after 2000, 4000, 8000 … row changes, counted in memory. The always-open
     * replicas analyzed T when column a was all zeros (selectivity 1); a replica rebuilt from a snapshot re-inserts
     * the current rows and analyzes them (a is nearly unique: selectivity ~97). So the same UPDATE uses index T_B
     * on the first and T_A on the second, visits the rows in another order, and RAND() gives other rows other values.
     */
    @Test
    void rowOrderOfAWriteDoesNotDependOnStatisticsAfterARebuild() throws Exception {
        waitFor(Known.ROW_ORDER);
        run(EnumSet.noneOf(Known.class),
                Write.of("CREATE TABLE T (id INT PRIMARY KEY, a INT, b INT, r DOUBLE)"),
                Write.of("CREATE INDEX T_A ON T (a)"),
                Write.of("CREATE INDEX T_B ON T (b)"),
                Write.of("INSERT INTO T SELECT X, 0, MOD(X, 210), 0 FROM SYSTEM_RANGE(1, 2100)"),
                Write.of("UPDATE T SET a = CASE WHEN id > 2050 THEN id - 2000 ELSE id END"),
                new Stop("n3", StopMode.REBUILD),
                new Start("n3"),
                Write.of("UPDATE T SET r = RAND() WHERE a IN (60, 61) AND b IN (60, 61, 170, 171)"),
                new Verify());
    }

    /** A qualified {@code t._ROWID_} passes the guard; hidden row ids are renumbered by a rebuild from a snapshot. */
    @Test
    void qualifiedRowIdInAWriteAfterARebuild() throws Exception {
        waitFor(Known.ROWID);
        run(EnumSet.noneOf(Known.class),
                Write.of("CREATE TABLE T (a INT, b INT)"),
                Write.of("INSERT INTO T (a) VALUES (1), (2), (3)"),
                Write.of("DELETE FROM T WHERE a = 1"),
                new Stop("n3", StopMode.REBUILD),
                new Start("n3"),
                Write.of("UPDATE T SET b = T._ROWID_"),
                new Verify());
    }

    /**
     * H2's top-N sort (ORDER BY … FETCH/LIMIT) chooses pivots at random, so among rows that tie on the ORDER BY
     * key every execution may pick others: replicas diverge without any restart.
     */
    @Test
    void orderByANonUniqueKeyWithFetchPicksTheSameRowsEverywhere() throws Exception {
        waitFor(Known.TOP_N_TIES);
        run(EnumSet.noneOf(Known.class),
                Write.of("CREATE TABLE S (id INT PRIMARY KEY, a INT)"),
                Write.of("INSERT INTO S SELECT X, MOD(X, 2) FROM SYSTEM_RANGE(1, 200)"),
                Write.of("CREATE TABLE D (id INT PRIMARY KEY)"),
                Write.of("INSERT INTO D SELECT id FROM S ORDER BY a FETCH FIRST 5 ROWS ONLY"),
                new Verify());
    }

    /**
     * A FORCE view over a column that does not exist yet is invalid and records no dependency. After the column is
     * added, a replica that reopens its database recompiles the view (valid, depends on T); the others keep it
     * invalid. DROP TABLE T then succeeds on the always-open replicas and fails (90107) on the restarted one.
     */
    @Test
    void forcedViewIsRecompiledOnlyOnARestartedReplica() throws Exception {
        waitFor(Known.FORCE_VIEW);
        run(EnumSet.of(Known.METADATA),
                Write.of("CREATE TABLE T (id INT PRIMARY KEY, a INT)"),
                Write.of("CREATE FORCE VIEW V AS SELECT id, x FROM T"),
                Write.of("ALTER TABLE T ADD COLUMN x INT"),
                new Stop("n3", StopMode.CLEAN),
                new Start("n3"),
                Write.of("DROP TABLE T"),
                new Verify());
    }

    /**
     * {@code MERGE … KEY … SELECT} from the target table where two source rows give one new key: H2 waits for a
     * row lock its own statement holds, LOCK_TIMEOUT (60 s on the apply session) is classified as a replica
     * failure, and so every replica stops. Expected instead: a deterministic error reply, cluster serving.
     */
    @Test
    void mergeFromItsOwnTargetWithDuplicateKeysFailsCleanly() throws Exception {
        waitFor(Known.SELF_MERGE);
        run(EnumSet.noneOf(Known.class),
                Write.of("CREATE TABLE T (id INT PRIMARY KEY, a INT, b INT)"),
                Write.of("INSERT INTO T VALUES (1, 1, 1), (2, 8, 1)"),
                Write.of("MERGE INTO T (id, a, b) KEY (id) SELECT MOD(a, 7) + 100, a, b FROM T WHERE b = 1"),
                Write.of("INSERT INTO T VALUES (3, 3, 3)"),
                new Verify());
    }

    /**
     * ALTER TABLE … ADD COLUMN rebuilds the table under a temporary name, and the primary key's index is named
     * from that; a rebuild from a snapshot (SCRIPT/RUNSCRIPT) names it from the table again. The checksum does not
     * cover index names, but {@code ALTER INDEX <name> RENAME}, {@code DROP INDEX} and INFORMATION_SCHEMA do.
     */
    @Test
    void constraintIndexNamesSurviveARebuild() throws Exception {
        waitFor(Known.METADATA);
        run(EnumSet.of(Known.METADATA),
                Write.of("CREATE TABLE T (id INT PRIMARY KEY, a INT)"),
                Write.of("ALTER TABLE T ADD COLUMN x INT"),
                new Stop("n3", StopMode.REBUILD),
                new Start("n3"),
                new Verify());
    }

    /**
     * Not a divergence, found by the fuzzer: the first (linearizable) read on a new connection right after the
     * leader stopped was not answered within the timeout (60 s, then 20 s) although two of three replicas were up:
     * the Ratis client sent it on to a random other server, still a follower of the stopped leader, which kept it
     * unanswered. The driver now sends such a read only to a server that says it leads ({@code LeaderReads}): it is
     * answered within the election (1-2 s) and a few retry intervals.
     */
    @Test
    void readRightAfterTheLeaderStops() throws Exception {
        try (FuzzRunner runner = new FuzzRunner(dir, 0, EnumSet.noneOf(Known.class))) {
            assertThat(runner.run(List.<FuzzStep>of(Write.of("CREATE TABLE T (id INT PRIMARY KEY)"),
                    Write.of("INSERT INTO T VALUES (1)"), new Stop(FuzzRunner.LEADER, StopMode.CLEAN)).iterator(), null))
                    .isNull();
            long t0 = System.nanoTime();
            FuzzRunner.Failure failure = runner.run(
                    List.<FuzzStep>of(new FuzzStep.Read("SELECT CAST(COUNT(*) AS VARCHAR) FROM T")).iterator(), null);
            long readMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(failure).as("%s", failure == null ? "" : failure.report()).isNull();
            assertThat(runner.stats().readRetries()).as("reads that needed a retry").isZero();
            System.out.printf("TIMING first read after the leader stopped: %d ms%n", readMillis);
            assertThat(readMillis).as("the read waits for the election, not for its timeout").isLessThan(8_000);
            assertThat(runner.run(List.<FuzzStep>of(new Start(FuzzRunner.LEADER), new Verify()).iterator(), null))
                    .isNull();
        }
    }

    private void run(Set<Known> checks, FuzzStep... steps) throws Exception {
        try (FuzzRunner runner = new FuzzRunner(dir, 0, checks)) {
            FuzzRunner.Failure failure = runner.run(new ArrayList<>(List.of(steps)).iterator(), null);
            assertThat(failure).as("%s", failure == null ? "" : failure.report()).isNull();
        }
    }

    private static void waitFor(Known family) {
        boolean fixed = FIXED.contains(family)
                || DeterminismFuzzIT.known(System.getProperty("fuzz.fixed", "none")).contains(family);
        assumeTrue(fixed, "waits for the fix of " + family + " (then add it to DeterminismRegressionIT.FIXED)");
    }
}
