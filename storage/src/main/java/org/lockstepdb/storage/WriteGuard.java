package org.lockstepdb.storage;

import java.util.Optional;
import java.util.regex.Pattern;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.SqlKind;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.StatementLimits;
import org.lockstepdb.protocol.WriteRequest;

/**
 * Refuses log entries the store cannot apply atomically and deterministically, before anything runs. The
 * server validates statements before they reach the log; this is the last line, so that a bad entry that got
 * through is still rejected the same way on every replica.
 */
final class WriteGuard {
    static final String FEATURE_NOT_SUPPORTED = StoreSqlStates.FEATURE_NOT_SUPPORTED;
    /** The determinism guard's SQLStates for the same refusals, so a client sees one code whichever layer refused. */
    static final String FORBIDDEN = StoreSqlStates.FORBIDDEN;
    static final String RESERVED_SCHEMA = StoreSqlStates.RESERVED_SCHEMA;
    private static final Pattern FORCE_VIEW = Pattern.compile("\\bCREATE\\s+(OR\\s+REPLACE\\s+)?FORCE\\s+VIEW\\b");
    private static final Pattern DROP_ALL_OBJECTS = Pattern.compile("\\bDROP\\s+ALL\\s+OBJECTS\\b");

    private WriteGuard() {
    }

    /** Checks the entry as a whole: H2 commits DDL at once, so DDL is atomic only when it is the whole entry. */
    static Optional<ErrorReply> checkEntry(WriteRequest entry) {
        long executions = 0;
        boolean hasDdl = false;
        for (SqlStatement s : entry.statements()) {
            executions += s.executions();
            hasDdl |= SqlKind.of(s.sql()) == SqlKind.DDL;
        }
        if (hasDdl && executions > 1) {
            return Optional.of(new ErrorReply(FEATURE_NOT_SUPPORTED, 0, "DDL statements must be sent alone, not in a "
                    + "batch or multi-statement write, because H2 commits DDL immediately"));
        }
        return Optional.empty();
    }

    /**
     * Checks one statement after H2 prepared it (so a syntax error is reported as such first).
     *
     * <p>Queries are refused rather than run: a write has no result set to return, and a query in a write is
     * almost certainly a client mistake. Statements that are neither DML nor DDL (SET, COMMIT, ROLLBACK,
     * SHUTDOWN, BACKUP, RUNSCRIPT, CALL...) are refused because they change session state that replay after a
     * restart would not reproduce, break the entry's atomicity, or touch the host.
     *
     * @param isQuery whether H2 parsed the statement as a query
     */
    static Optional<ErrorReply> checkStatement(String sql, boolean isQuery) {
        if (isQuery) {
            return Optional.of(new ErrorReply(FEATURE_NOT_SUPPORTED, 0,
                    "Queries are not writes: send this statement with executeQuery, not as part of a write: " + abbreviate(sql)));
        }
        SqlKind kind = SqlKind.of(sql);
        if (kind != SqlKind.DML && kind != SqlKind.DDL && kind != SqlKind.QUERY) { // QUERY: e.g. WITH ... DELETE
            return Optional.of(new ErrorReply(FEATURE_NOT_SUPPORTED, 0, "Statement " + SqlKind.firstKeyword(sql)
                    + " is not allowed in a write: only INSERT, UPDATE, DELETE, MERGE and DDL are replicated"));
        }
        return Optional.empty();
    }

    /**
     * Checks one statement's text before H2 parses it: refuses what H2 could not parse or run without
     * overflowing its stack ({@link StatementLimits}), and what would reach LockstepDB's own schemas or state H2
     * keeps outside the replicated data. The determinism guard refuses all of these on the leader already; this
     * second, independent check runs on every replica so that one mistake in either is not fatal.
     */
    static Optional<ErrorReply> checkText(String sql) {
        SqlKind kind = SqlKind.of(sql);
        String code = SqlText.code(sql);
        String tooComplex = SqlText.overLimits(code);
        if (tooComplex != null) {
            return Optional.of(new ErrorReply(StoreSqlStates.TOO_COMPLEX, 0, "the statement has " + tooComplex
                    + "; H2 evaluates nesting recursively, so LockstepDB limits it: flatten or split the statement"));
        }
        String reserved = SystemSchemas.reservedSchemaNamedIn(code);
        if (reserved != null) {
            return Optional.of(new ErrorReply(RESERVED_SCHEMA, 0, reserved + " is reserved for LockstepDB's own "
                    + "bookkeeping; writes may not reference it"));
        }
        if (kind == SqlKind.DDL && (SqlKind.firstKeyword(sql).equals("ANALYZE")
                || SqlText.containsWord(code, "SELECTIVITY"))) {
            return Optional.of(new ErrorReply(FORBIDDEN, 0, "ANALYZE and SELECTIVITY are not allowed: column "
                    + "statistics decide H2's plans, and so the row order of a write; replicas keep H2's defaults"));
        }
        if (kind == SqlKind.DDL && FORCE_VIEW.matcher(code).find()) {
            return Optional.of(new ErrorReply(FORBIDDEN, 0, "CREATE FORCE VIEW is not allowed: H2 may keep such a view "
                    + "invalid until the database is reopened, which differs between replicas"));
        }
        if (kind == SqlKind.DDL && DROP_ALL_OBJECTS.matcher(code).find()) {
            return Optional.of(new ErrorReply(FORBIDDEN, 0, "DROP ALL OBJECTS would drop LockstepDB's own "
                    + "bookkeeping; drop your tables, views and sequences one by one"));
        }
        return Optional.empty();
    }

    private static String abbreviate(String sql) {
        String s = sql.strip();
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
