package org.lockstepdb.protocol;

import java.util.List;

/**
 * A read-only query. It does not go through the log; the client's chosen consistency decides which replica
 * answers and how fresh it must be.
 *
 * @param maxRows       0 for no limit other than the server's reply size limit
 * @param timeoutMillis how long the client waits for the answer, in ms; the server cancels the statement after
 *                      min(this, its own {@code --query-timeout-ms}) with SQLState 57014. 0 = the server's
 *                      default only (clients before message format version 2 cannot send it)
 * @param queryId       the client's id for this execution, so that it can cancel it on the replica
 *                      ({@code cancel-query} admin read); "" = none. At most {@link #MAX_QUERY_ID_LENGTH} chars
 * @param session       the client connection's user and current schema (format version 4; older: the default)
 */
public record QueryRequest(String sql, List<Value> parameters, int maxRows, long timeoutMillis, String queryId,
                           SessionValues session) implements Request {
    public static final int MAX_QUERY_ID_LENGTH = 64;

    public QueryRequest {
        if (sql == null) {
            throw new IllegalArgumentException("sql must not be null");
        }
        parameters = List.copyOf(parameters);
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be >= 0");
        }
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis must be >= 0");
        }
        if (queryId == null || queryId.length() > MAX_QUERY_ID_LENGTH) {
            throw new IllegalArgumentException("queryId must be non-null and at most " + MAX_QUERY_ID_LENGTH + " chars");
        }
        if (session == null) {
            throw new IllegalArgumentException("session must not be null (SessionValues.DEFAULT for none)");
        }
    }

    /** A query of the default session. */
    public QueryRequest(String sql, List<Value> parameters, int maxRows, long timeoutMillis, String queryId) {
        this(sql, parameters, maxRows, timeoutMillis, queryId, SessionValues.DEFAULT);
    }

    /** A query with a time limit and no id. */
    public QueryRequest(String sql, List<Value> parameters, int maxRows, long timeoutMillis) {
        this(sql, parameters, maxRows, timeoutMillis, "");
    }

    /** A query bounded only by the server's default timeout. */
    public QueryRequest(String sql, List<Value> parameters, int maxRows) {
        this(sql, parameters, maxRows, 0, "");
    }

    public QueryRequest withTimeoutMillis(long millis) {
        return new QueryRequest(sql, parameters, maxRows, millis, queryId, session);
    }

    public QueryRequest withQueryId(String id) {
        return new QueryRequest(sql, parameters, maxRows, timeoutMillis, id, session);
    }

    public QueryRequest withSession(SessionValues values) {
        return new QueryRequest(sql, parameters, maxRows, timeoutMillis, queryId, values);
    }

    /** The same query with other SQL text (the guard's rewrite of session functions). */
    public QueryRequest withSql(String text) {
        return new QueryRequest(text, parameters, maxRows, timeoutMillis, queryId, session);
    }
}
