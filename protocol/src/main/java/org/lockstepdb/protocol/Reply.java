package org.lockstepdb.protocol;

/**
 * What the cluster answers: a {@link WriteResult}, a {@link QueryResult}, an {@link ErrorReply}, an
 * {@link AdminResult}, or a {@link TxStatementResult} (to a {@link TxStatementRequest}).
 */
public sealed interface Reply permits WriteResult, QueryResult, ErrorReply, AdminResult, TxStatementResult {
}
