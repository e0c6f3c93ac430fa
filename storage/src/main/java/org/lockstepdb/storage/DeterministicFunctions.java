package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * RAND(), RANDOM(), RANDOM_UUID() and UUID() that give the same values on every replica.
 *
 * <p>H2's built-ins draw from the replica's own generator, so {@code UPDATE t SET x = RAND()} would store
 * different values on each replica. With {@code SET BUILTIN_ALIAS_OVERRIDE TRUE}, aliases of the same names
 * in {@code LOCKSTEP_SYS} (on the apply session's schema search path) replace them. Before every execution of
 * a statement, the store seeds a generator from (log index, statement number, execution number); H2 calls the
 * functions on the applying thread in the same row order on every replica (same data, same H2 version), so
 * each call draws the same value everywhere, per row as well as per call site.
 *
 * <p>The values are pseudo-random, not secure: anyone who knows the log index can compute them.
 * Query sessions do not see these aliases; reads keep H2's own RAND (they change nothing).
 */
public final class DeterministicFunctions {
    static final String SCHEMA = "LOCKSTEP_SYS";
    private static final ThreadLocal<SplittableRandom> GENERATOR = new ThreadLocal<>();

    private DeterministicFunctions() {
    }

    /** Installs the aliases (idempotent) and puts them on this owner session's function search path. */
    static void install(Connection owner) throws SQLException {
        String cls = DeterministicFunctions.class.getName();
        try (Statement s = owner.createStatement()) {
            s.execute("SET BUILTIN_ALIAS_OVERRIDE TRUE");
            s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            s.execute("CREATE ALIAS IF NOT EXISTS " + SCHEMA + ".RAND FOR '" + cls + ".rand'");
            s.execute("CREATE ALIAS IF NOT EXISTS " + SCHEMA + ".RANDOM FOR '" + cls + ".rand'");
            s.execute("CREATE ALIAS IF NOT EXISTS " + SCHEMA + ".RANDOM_UUID FOR '" + cls + ".randomUuid'");
            s.execute("CREATE ALIAS IF NOT EXISTS " + SCHEMA + ".UUID FOR '" + cls + ".randomUuid'");
            s.execute("SET SCHEMA_SEARCH_PATH PUBLIC, " + SCHEMA);
        }
        owner.commit();
    }

    /** Seeds this thread's generator for one execution of one statement of one log entry. */
    static void seed(long logIndex, int statementNumber, int executionNumber) {
        long seed = logIndex * 0x9E3779B97F4A7C15L ^ ((long) statementNumber << 32) ^ executionNumber;
        GENERATOR.set(new SplittableRandom(seed));
    }

    static void clear() {
        GENERATOR.remove();
    }

    /** H2 alias target for RAND() and RANDOM(). */
    public static double rand() {
        return generator().nextDouble();
    }

    /** H2 alias target for RAND(seed): like H2, the seed restarts the generator. */
    public static double rand(int seed) {
        SplittableRandom reseeded = new SplittableRandom(seed);
        GENERATOR.set(reseeded);
        return reseeded.nextDouble();
    }

    /** H2 alias target for RANDOM_UUID() and UUID(): a version 4 (random) UUID. */
    public static UUID randomUuid() {
        SplittableRandom g = generator();
        long msb = (g.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (g.nextLong() & ~(0xC000000000000000L)) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    private static SplittableRandom generator() {
        SplittableRandom g = GENERATOR.get();
        if (g == null) {
            // Only the apply path installs these aliases and it seeds before every execution: an unseeded call
            // would be a replica-dependent value, so fail the statement (deterministically) instead.
            throw new IllegalStateException("random function called outside a seeded log entry execution");
        }
        return g;
    }
}
