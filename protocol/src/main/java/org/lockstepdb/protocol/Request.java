package org.lockstepdb.protocol;

/** What a client sends to the cluster: a {@link WriteRequest} (through the log) or a {@link QueryRequest} (not). */
public sealed interface Request permits WriteRequest, QueryRequest {
}
