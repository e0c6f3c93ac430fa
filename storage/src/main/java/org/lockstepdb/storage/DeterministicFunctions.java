package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.lockstepdb.protocol.TxId;
import org.lockstepdb.protocol.sql.SeededDefaults;

/**
 * RAND(), RANDOM(), RANDOM_UUID() and UUID() that give the same values on every replica, and never repeat
 * each other's values across log entries.
 *
 * <p>H2's built-ins draw from the replica's own generator, so {@code UPDATE t SET x = RAND()} would store
 * different values on each replica. With {@code SET BUILTIN_ALIAS_OVERRIDE TRUE}, aliases of the same names in
 * {@link SystemSchemas#FUNCTIONS} (on the apply session's schema search path) replace them. Before every
 * execution of a statement, the store keys a counter-mode generator with (log index, statement number,
 * execution number); the n-th call of the execution returns a 64-bit mix of that key and n. H2 calls the
 * functions on the applying thread in the same row order on every replica (same data, same plan, same H2
 * version), so each call draws the same value everywhere, per row as well as per call site.
 *
 * <p>Why a counter over a hashed key and not a seeded {@link java.util.SplittableRandom}: two seeds that differ
 * by a multiple of the generator's increment produce the same sequence shifted, and seeds derived linearly
 * from the log index did exactly that (entry i+1 drew entry i's second value). Here every (log index,
 * statement, execution, call) is one input to a 64-bit mixing function that is a bijection for a fixed key,
 * so values repeat only by a 64-bit hash collision.
 *
 * <p>The aliases persist in H2's metadata. H2 re-creates an alias named like a built-in when it opens the database
 * only if {@code BUILTIN_ALIAS_OVERRIDE} is on by then, so the store's owner sessions carry it in their URL
 * ({@link H2Sessions#OWNER_SETTINGS}); the install below then finds them and adds nothing.
 *
 * <p>Column defaults: H2 keeps a default's function in the table definition and parses it again when it opens the
 * database, before {@code BUILTIN_ALIAS_OVERRIDE} can be set, so an alias named like a built-in would not load
 * then (and the table with it). So the guard writes {@code DEFAULT RAND()} and {@code DEFAULT RANDOM_UUID()} as
 * the same functions under names of their own ({@link SeededDefaults}), defined here beside the others;
 * H2 stores them as {@code "LOCKSTEP_FN"."SEEDED_RANDOM_UUID"()}. A later write that fills the default draws
 * from its own entry's stream, as if it had called the function itself.
 *
 * <p>The values are pseudo-random, not secure: anyone who knows the log index can compute them.
 * Query sessions do not see these aliases; reads keep H2's own RAND (they change nothing).
 */
public final class DeterministicFunctions {
    static final String SCHEMA = SystemSchemas.FUNCTIONS;
    private static final String[][] ALIASES = {
        {"RAND", "rand"}, {"RANDOM", "rand"}, {"RANDOM_UUID", "randomUuid"}, {"UUID", "randomUuid"},
        {SeededDefaults.RAND, "rand"}, {SeededDefaults.RANDOM_UUID, "randomUuid"}};
    private static final ThreadLocal<CounterStream> GENERATOR = new ThreadLocal<>();

    private DeterministicFunctions() {
    }

    /** Installs the aliases (idempotent) and puts them on this owner session's function search path. */
    static void install(Connection owner) throws SQLException {
        String cls = DeterministicFunctions.class.getName();
        try (Statement s = owner.createStatement()) {
            s.execute("SET BUILTIN_ALIAS_OVERRIDE TRUE"); // before CREATE ALIAS RAND: the names are built-ins'
            s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            for (String[] alias : ALIASES) {
                s.execute("CREATE ALIAS IF NOT EXISTS " + SCHEMA + "." + alias[0] + " FOR '" + cls + "." + alias[1] + "'");
            }
            dropAliasesOfEarlierVersions(s);
        }
        AliasRecords.removeLeftovers(owner);
        useOn(owner);
        owner.commit();
    }

    /**
     * Makes the installed aliases replace H2's built-ins in this owner session (a session setting): the apply
     * session, and the session interactive transactions run on, which must compute what apply computes.
     */
    static void useOn(Connection owner) throws SQLException {
        try (Statement s = owner.createStatement()) {
            s.execute("SET BUILTIN_ALIAS_OVERRIDE TRUE");
            // LOCKSTEP_SYS is deliberately absent: unqualified names must never resolve to the bookkeeping tables.
            s.execute("SET SCHEMA_SEARCH_PATH PUBLIC, " + SCHEMA);
        }
    }

    /** Earlier versions kept the aliases beside the bookkeeping tables, which put those on the search path. */
    private static void dropAliasesOfEarlierVersions(Statement s) throws SQLException {
        List<String> old = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT DISTINCT ROUTINE_NAME FROM INFORMATION_SCHEMA.ROUTINES "
                + "WHERE ROUTINE_SCHEMA = '" + SystemSchemas.STATE + "'")) {
            while (rs.next()) {
                old.add(rs.getString(1));
            }
        }
        for (String name : old) {
            s.execute("DROP ALIAS " + SystemSchemas.STATE + "." + H2Sessions.quote(name));
        }
    }

    /** Keys this thread's generator for one execution of one statement of one log entry. */
    static void seed(long logIndex, int statementNumber, int executionNumber) {
        long key = mix64(mix64(mix64(logIndex) + statementNumber * 0xC2B2AE3D27D4EB4FL)
                + executionNumber * 0x165667B19E3779F9L);
        GENERATOR.set(new CounterStream(key));
    }

    /**
     * Keys this thread's generator for one execution of one statement of an interactive transaction: from the
     * transaction's id and the statement's ordinal in its script, not a log index, so its speculative runs and
     * its commit draw the same values. A separate domain constant keeps these keys apart from log entries'.
     */
    static void seedTransaction(TxId tx, int ordinal, int executionNumber) {
        long client = 0x7478L; // "tx"
        for (int i = 0; i < tx.clientId().length(); i++) {
            client = mix64(client + tx.clientId().charAt(i));
        }
        long key = mix64(mix64(mix64(client ^ mix64(tx.sequence())) + ordinal * 0xC2B2AE3D27D4EB4FL)
                + executionNumber * 0x165667B19E3779F9L);
        GENERATOR.set(new CounterStream(key));
    }

    static void clear() {
        GENERATOR.remove();
    }

    /** H2 alias target for RAND() and RANDOM(). */
    public static double rand() {
        return (generator().next() >>> 11) * 0x1.0p-53;
    }

    /** H2 alias target for RAND(seed): like H2, the seed restarts the generator (the same seed, the same values). */
    public static double rand(int seed) {
        CounterStream reseeded = new CounterStream(mix64(seed ^ 0x5DEECE66DL));
        GENERATOR.set(reseeded);
        return (reseeded.next() >>> 11) * 0x1.0p-53;
    }

    /** H2 alias target for RANDOM_UUID() and UUID(): a version 4 (random) UUID. */
    public static UUID randomUuid() {
        CounterStream g = generator();
        long msb = (g.next() & ~0xF000L) | 0x4000L;
        long lsb = (g.next() & ~(0xC000000000000000L)) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    private static CounterStream generator() {
        CounterStream g = GENERATOR.get();
        if (g == null) {
            // Only the apply path installs these aliases and it seeds before every execution: an unseeded call
            // would be a replica-dependent value, so fail the statement (deterministically) instead.
            throw new IllegalStateException("random function called outside a seeded log entry execution");
        }
        return g;
    }

    /** Stafford's variant 13 of the MurmurHash3 finalizer: a bijection on 64-bit values with good avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Counter mode: the n-th value is mix64(key XOR mix64(n)), distinct for distinct n under one key. */
    private static final class CounterStream {
        private final long key;
        private long counter;

        CounterStream(long key) {
            this.key = key;
        }

        long next() {
            return mix64(key ^ mix64(++counter * 0x9E3779B97F4A7C15L));
        }
    }
}
