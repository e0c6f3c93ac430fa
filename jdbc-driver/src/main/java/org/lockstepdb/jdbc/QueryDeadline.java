package org.lockstepdb.jdbc;

import java.sql.SQLTimeoutException;

import org.apache.ratis.protocol.exceptions.TimeoutIOException;

/**
 * The time limit a query travels with. The server cancels the statement once the limit passes (57014), so a query
 * whose client stopped waiting does not keep burning a replica's CPU; and the limit ends a little before the
 * client's own request timeout ({@code timeoutMs}), so the server's 57014 normally arrives before the client
 * would give up. A query whose request timed out anyway is never re-sent (see {@link DeadlineRetryPolicy}): it
 * may still be running, and a second replica would only run it again.
 */
final class QueryDeadline {
    /** Time left for the reply to travel back, at most this much of the request timeout. */
    private static final long MAX_MARGIN_MILLIS = 1000;

    private QueryDeadline() {
    }

    /**
     * @param statementTimeoutMillis {@code Statement.setQueryTimeout} in ms, 0 = none
     * @param requestTimeoutMillis   the URL's {@code timeoutMs}: how long the client waits for any answer
     * @return the limit sent with the query, in ms: the statement's timeout, bounded by the request timeout
     *         less a margin; always at least 1
     */
    static long serverLimitMillis(long statementTimeoutMillis, long requestTimeoutMillis) {
        long margin = Math.min(MAX_MARGIN_MILLIS, requestTimeoutMillis / 5);
        long budget = Math.max(1, requestTimeoutMillis - margin);
        return statementTimeoutMillis > 0 ? Math.min(statementTimeoutMillis, budget) : budget;
    }

    /** True if {@code e} (or a cause) is the Ratis client's request timeout: no answer came in time. */
    static boolean isClientTimeout(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof TimeoutIOException) {
                return true;
            }
        }
        return false;
    }

    /** 57014 for a query the client stopped waiting for; it is not retried. */
    static SQLTimeoutException timedOut(long requestTimeoutMillis, String servers, Throwable cause) {
        return new SQLTimeoutException("The query was not answered within " + requestTimeoutMillis + " ms (the URL's"
                + " timeoutMs) by " + servers + ". It was not retried on another replica; the server cancels it at its"
                + " time limit", "57014", cause);
    }
}
