package org.lockstepdb.protocol;

/**
 * What a client sends to the cluster: a {@link WriteRequest} (through the log), a {@link QueryRequest} (not),
 * an {@link AdminRequest} (either, depending on the operation), a {@link TxStatementRequest} (an interactive
 * transaction's next statement, run speculatively on its home replica; not the log) or a {@link TxCommitRequest}
 * (its commit, one log entry).
 */
public sealed interface Request permits WriteRequest, QueryRequest, AdminRequest, TxStatementRequest, TxCommitRequest {
}
