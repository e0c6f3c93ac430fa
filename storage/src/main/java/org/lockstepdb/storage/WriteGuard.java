package org.lockstepdb.storage;

import java.util.Optional;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.SqlKind;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.WriteRequest;

/**
 * Refuses log entries the store cannot apply atomically and deterministically, before anything runs. The
 * server validates statements before they reach the log; this is the last line, so that a bad entry that got
 * through is still rejected the same way on every replica.
 */
final class WriteGuard {
    static final String FEATURE_NOT_SUPPORTED = "0A000";

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

    private static String abbreviate(String sql) {
        String s = sql.strip();
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
