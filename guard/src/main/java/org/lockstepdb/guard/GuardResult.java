package org.lockstepdb.guard;

import java.util.Objects;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.sql.StatementKind;

/**
 * The guard's answer: either {@code sql} (the text to log or run, possibly rewritten) and the statement's
 * {@code kind}, or {@code rejection}. The kind is the one classification of the statement: callers (the
 * server's "DDL alone" rule) use it rather than classify again.
 */
public record GuardResult(String sql, ErrorReply rejection, StatementKind kind) {
    public GuardResult {
        if ((sql == null) == (rejection == null) || (sql == null) != (kind == null)) {
            throw new IllegalArgumentException("exactly one of (sql, kind) and rejection must be set");
        }
    }

    public static GuardResult accept(String sql, StatementKind kind) {
        return new GuardResult(Objects.requireNonNull(sql), null, Objects.requireNonNull(kind));
    }

    public static GuardResult reject(ErrorReply rejection) {
        return new GuardResult(null, Objects.requireNonNull(rejection), null);
    }

    public boolean accepted() {
        return sql != null;
    }
}
