package org.lockstepdb.protocol;

/**
 * What a client sends to the cluster: a {@link WriteRequest} (through the log), a {@link QueryRequest} (not),
 * or an {@link AdminRequest} (either, depending on the operation).
 */
public sealed interface Request permits WriteRequest, QueryRequest, AdminRequest {
}
