package org.lockstepdb.jdbc;

import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;

/**
 * How one connection's requests reach the cluster: a write gets its deadline (the URL's {@code timeoutMs}, or a
 * statement's shorter query timeout) and raises the connection's last write index; a query carries that index
 * when the URL asks for read-your-writes, and an id under which {@code Statement.cancel()} can stop it.
 * {@link LockstepConnection} checks the connection is open (and writable) before it calls these. With
 * {@code setNetworkTimeout} every request is bounded by it as well: a write's deadline is at most that long (08006
 * after it), a query's wait too (HYT00).
 */
final class ClusterRequests {
    private final ConnectionUrl url;
    private final SqlChannel channel;
    private final AtomicLong lastWriteIndex = new AtomicLong();
    /** Query ids: unique across connections (the prefix) and executions (the counter), for Statement.cancel(). */
    private final String queryIdPrefix = UUID.randomUUID().toString();
    private final AtomicLong queryCounter = new AtomicLong();
    /** {@code Connection.setNetworkTimeout}, in ms; 0 = none (the URL's timeoutMs bounds every request anyway). */
    private volatile long networkTimeoutMillis;

    /** A bound this much above timeoutMs is never reached: the request fails on its own first. */
    private static final long QUERY_BOUND_SLACK_MILLIS = 2000;

    ClusterRequests(ConnectionUrl url, SqlChannel channel) {
        this.url = url;
        this.channel = channel;
    }

    /** The highest log index of a write this connection has seen acknowledged (0 if none). */
    long lastWriteIndex() {
        return lastWriteIndex.get();
    }

    /** A write with the statement's query timeout (seconds, 0 = none) as its deadline if below {@code timeoutMs}. */
    WriteResult write(WriteRequest request, int queryTimeoutSeconds) throws SQLException {
        long budget = RequestDeadline.budgetMillis(url.timeoutMillis(), queryTimeoutSeconds);
        long network = networkTimeoutMillis;
        WriteResult r = channel.write(request, network > 0 ? Math.min(budget, network) : budget);
        wrote(r.logIndex());
        return r;
    }

    /** Raises the last write index to {@code logIndex} (a write or a transaction's commit was acknowledged there). */
    void wrote(long logIndex) {
        lastWriteIndex.accumulateAndGet(logIndex, Math::max);
    }

    /** A query at the URL's read consistency, never older than the last write when read-your-writes is on. */
    QueryResult query(QueryRequest request) throws SQLException {
        long network = networkTimeoutMillis;
        return network > 0 ? query(request, network, "the connection's network timeout") : query(request, 0, "");
    }

    /**
     * A query whose caller waits at most {@code boundMillis} (0 = as long as the URL's timeoutMs lets it): it fails
     * then with HYT00 ({@link BoundedWait}); the replica cancels it at that time limit too.
     */
    QueryResult query(QueryRequest request, long boundMillis, String bound) throws SQLException {
        long minIndex = url.passLastWriteIndex() ? lastWriteIndex.get() : 0;
        if (boundMillis <= 0 || boundMillis >= url.timeoutMillis() + QUERY_BOUND_SLACK_MILLIS) {
            return channel.query(request, url.read(), minIndex);
        }
        QueryRequest limited = request.timeoutMillis() > 0 && request.timeoutMillis() <= boundMillis ? request
                : request.withTimeoutMillis(boundMillis);
        return BoundedWait.call(() -> channel.query(limited, url.read(), minIndex), boundMillis,
                bound + " of " + boundMillis + " ms");
    }

    /** {@code setNetworkTimeout}: every later request of the connection fails after about this long (0 = off). */
    void networkTimeoutMillis(long millis) {
        networkTimeoutMillis = millis;
    }

    long networkTimeoutMillis() {
        return networkTimeoutMillis;
    }

    /** A fresh id for one query execution (at most 64 characters). */
    String nextQueryId() {
        return queryIdPrefix + "-" + queryCounter.incrementAndGet();
    }

    /** Asks the cluster to stop the query running under {@code queryId}. */
    void cancelQuery(String queryId) throws SQLException {
        channel.cancelQuery(queryId);
    }
}
