package org.lockstepdb.protocol;

import java.util.List;

/**
 * A write: one or more statements applied atomically as one log entry. This is also the log entry format:
 * the leader stamps {@code stampMillis} (the one instant a deterministic rewrite of time functions may use)
 * before the entry is replicated; clients send 0.
 */
public record WriteRequest(long stampMillis, List<SqlStatement> statements) implements Request {
    public WriteRequest {
        statements = List.copyOf(statements);
    }

    public static WriteRequest of(List<SqlStatement> statements) {
        return new WriteRequest(0L, statements);
    }

    public WriteRequest withStamp(long millis) {
        return new WriteRequest(millis, statements);
    }
}
