package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed-size pool of query sessions. Its size bounds how many queries run at once; a query that finds no
 * free session waits a bounded time rather than queueing without limit.
 */
final class QueryPool implements AutoCloseable {
    /** A borrowed session; {@link #discard()} it instead of returning it if it may be broken. */
    final class Lease implements AutoCloseable {
        private Connection connection;

        private Lease(Connection connection) {
            this.connection = connection;
        }

        Connection connection() {
            return connection;
        }

        void discard() {
            H2Sessions.closeQuietly(connection);
            connection = null;
        }

        @Override
        public void close() {
            release(this);
        }
    }

    private final H2Sessions sessions;
    private final BlockingQueue<Connection> idle;
    private final BlockingQueue<Boolean> permits;
    private final List<Connection> all = new ArrayList<>();
    private volatile boolean closed;

    QueryPool(H2Sessions sessions, int size) {
        this.sessions = sessions;
        this.idle = new ArrayBlockingQueue<>(size);
        this.permits = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            permits.add(Boolean.TRUE);
        }
    }

    /** @return a lease, or null if no session became free within the wait */
    Lease borrow(long waitMillis) throws SQLException, InterruptedException {
        if (closed || permits.poll(waitMillis, TimeUnit.MILLISECONDS) == null) {
            return null;
        }
        Connection c = idle.poll();
        if (c == null) {
            try {
                c = sessions.openQuerySession(); // sessions open lazily and are replaced when discarded
                synchronized (all) {
                    all.add(c);
                }
            } catch (SQLException | RuntimeException e) {
                permits.add(Boolean.TRUE);
                throw e;
            }
        }
        return new Lease(c);
    }

    private void release(Lease lease) {
        Connection c = lease.connection;
        if (c != null) {
            if (closed) {
                H2Sessions.closeQuietly(c);
            } else {
                idle.add(c);
            }
        }
        permits.add(Boolean.TRUE);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            all.forEach(H2Sessions::closeQuietly);
            all.clear();
        }
        idle.clear();
    }
}
