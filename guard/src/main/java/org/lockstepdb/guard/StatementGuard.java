package org.lockstepdb.guard;

import java.util.Objects;
import org.lockstepdb.protocol.SessionValues;

/**
 * The determinism guard: classifies each SQL statement before it reaches the Raft log (writes) or a replica
 * (reads). Writes are accepted unchanged, accepted with current-time functions replaced by literals of the
 * leader's stamp, or rejected with an {@link org.lockstepdb.protocol.ErrorReply} whose SQLState is one of
 * {@link GuardCodes}. Reads are accepted unchanged or rejected.
 *
 * <p>How a statement is read: H2's exact tokens ({@link org.lockstepdb.protocol.sql.SqlLexer}, kinds by
 * {@link org.lockstepdb.protocol.sql.StatementClassifier}) drive every rule (multi-statement, statement
 * form allow-list, function allow-list and deny lists, shape rules); for DML and queries Calcite's parser is
 * a second, structural reading that must agree ({@link CalciteCheck}). See docs/SQL.md.
 *
 * <p>Thread-safe. Verdicts are cached by (mode, exact text) in a bounded LRU: a cached rewrite only formats the
 * new literals, so steady-state cost is a hash lookup.
 */
public final class StatementGuard {
    /** Longest statement text accepted, in UTF-16 chars. */
    public static final int MAX_SQL_CHARS = 1 << 20;
    /** Longer texts are analysed every time rather than cached, which bounds the cache's memory (~80 MB worst case). */
    public static final int MAX_CACHED_SQL_CHARS = 4096;
    /** Default number of cached verdicts. */
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;

    private final VerdictCache cache;
    private final boolean useCalcite;

    public StatementGuard() {
        this(DEFAULT_CACHE_ENTRIES, true);
    }

    StatementGuard(int cacheEntries, boolean useCalcite) {
        this.cache = new VerdictCache(cacheEntries);
        this.useCalcite = useCalcite;
    }

    /** For a statement of a write: the SQL to put in the log (rewritten with literals for stampMillis, UTC) or a rejection. */
    public GuardResult checkWrite(String sql, long stampMillis) {
        return checkWrite(sql, stampMillis, SessionValues.DEFAULT);
    }

    /**
     * As {@link #checkWrite(String, long)}, with the session functions ({@code USER()}, {@code CURRENT_SCHEMA} …)
     * replaced by literals of the client connection's {@code session} values.
     */
    public GuardResult checkWrite(String sql, long stampMillis, SessionValues session) {
        return plan(sql, Analyzer.Mode.WRITE).apply(sql, stampMillis, session);
    }

    /**
     * For a read-only query: accepted unchanged or rejected (time functions allowed; forbidden functions,
     * sequence advancing, FOR UPDATE, multi-statements rejected).
     */
    public GuardResult checkRead(String sql) {
        return checkRead(sql, SessionValues.DEFAULT);
    }

    /** As {@link #checkRead(String)}, with the session functions replaced by the client connection's values. */
    public GuardResult checkRead(String sql, SessionValues session) {
        return plan(sql, Analyzer.Mode.READ).apply(sql, 0L, session);
    }

    /**
     * For an operation of an interactive transaction (speculation on the home replica, and the commit on the
     * leader): a query or DML, checked as a write and rewritten with the transaction's stamp, so the speculation
     * and every replica's commit compute the same values; {@code SELECT … FOR UPDATE} is accepted (the commit
     * validates the rows read). DDL and other statements H2 runs outside a transaction pass here; the store refuses
     * them inside a script (25001).
     */
    public GuardResult checkInTransaction(String sql, long stampMillis) {
        return checkInTransaction(sql, stampMillis, SessionValues.DEFAULT);
    }

    /**
     * As {@link #checkInTransaction(String, long)}, with the session functions ({@code USER()},
     * {@code CURRENT_SCHEMA} …) replaced by literals of the client connection's {@code session} values.
     */
    public GuardResult checkInTransaction(String sql, long stampMillis, SessionValues session) {
        return plan(sql, Analyzer.Mode.TRANSACTION).apply(sql, stampMillis, session);
    }

    /** The cached (or new) plan; package-private for tests and the benchmark. */
    Plan plan(String sql, Analyzer.Mode mode) {
        Objects.requireNonNull(sql, "sql");
        VerdictCache.Key key = new VerdictCache.Key(mode, sql);
        Plan plan = cache.get(key);
        if (plan == null) {
            plan = Analyzer.analyze(sql, mode, useCalcite);
            if (sql.length() <= MAX_CACHED_SQL_CHARS) {
                cache.put(key, plan);
            }
        }
        return plan;
    }

    /** Uncached analysis, for the benchmark. */
    Plan analyzeUncached(String sql, Analyzer.Mode mode) {
        return Analyzer.analyze(sql, mode, useCalcite);
    }

    int cachedEntries() {
        return cache.size();
    }
}
