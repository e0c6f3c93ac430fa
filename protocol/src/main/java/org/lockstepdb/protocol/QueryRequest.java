package org.lockstepdb.protocol;

import java.util.List;

/**
 * A read-only query. It does not go through the log; the client's chosen consistency decides which replica
 * answers and how fresh it must be.
 *
 * @param maxRows 0 for no limit other than the server's reply size limit
 */
public record QueryRequest(String sql, List<Value> parameters, int maxRows) implements Request {
    public QueryRequest {
        if (sql == null) {
            throw new IllegalArgumentException("sql must not be null");
        }
        parameters = List.copyOf(parameters);
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be >= 0");
        }
    }
}
