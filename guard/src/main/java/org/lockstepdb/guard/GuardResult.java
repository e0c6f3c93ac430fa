package org.lockstepdb.guard;

import java.util.Objects;
import org.lockstepdb.protocol.ErrorReply;

/**
 * The guard's answer: either {@code sql} (the text to log or run, possibly rewritten) or {@code rejection}.
 * Exactly one of the two is non-null.
 */
public record GuardResult(String sql, ErrorReply rejection) {
    public GuardResult {
        if ((sql == null) == (rejection == null)) {
            throw new IllegalArgumentException("exactly one of sql and rejection must be set");
        }
    }

    public static GuardResult accept(String sql) {
        return new GuardResult(Objects.requireNonNull(sql), null);
    }

    public static GuardResult reject(ErrorReply rejection) {
        return new GuardResult(null, Objects.requireNonNull(rejection));
    }

    public boolean accepted() {
        return sql != null;
    }
}
