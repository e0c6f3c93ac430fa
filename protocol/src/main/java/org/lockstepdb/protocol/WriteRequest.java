package org.lockstepdb.protocol;

import java.util.List;

/**
 * A write: one or more statements applied atomically as one log entry. This is also the log entry format:
 * the leader stamps {@code stampMillis} (the one instant a deterministic rewrite of time functions may use)
 * before the entry is replicated; clients send 0. {@code session} is the client connection's user and schema: the
 * leader splices the user into the statements and keeps only the schema in the entry, with which every replica
 * applies it (unqualified names resolve there).
 */
public record WriteRequest(long stampMillis, List<SqlStatement> statements, SessionValues session)
        implements Request {
    public WriteRequest {
        statements = List.copyOf(statements);
        if (session == null) {
            throw new IllegalArgumentException("session must not be null (SessionValues.DEFAULT for none)");
        }
    }

    /** A write with the default session (no user, schema PUBLIC). */
    public WriteRequest(long stampMillis, List<SqlStatement> statements) {
        this(stampMillis, statements, SessionValues.DEFAULT);
    }

    public static WriteRequest of(List<SqlStatement> statements) {
        return new WriteRequest(0L, statements);
    }

    public WriteRequest withStamp(long millis) {
        return new WriteRequest(millis, statements, session);
    }

    public WriteRequest withSession(SessionValues values) {
        return new WriteRequest(stampMillis, statements, values);
    }
}
