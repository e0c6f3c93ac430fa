package org.lockstepdb.protocol;

/** What the cluster answers: a {@link WriteResult}, a {@link QueryResult} or an {@link ErrorReply}. */
public sealed interface Reply permits WriteResult, QueryResult, ErrorReply, AdminResult {
}
