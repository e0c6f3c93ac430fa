package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fixed-size pool of query sessions. Its size bounds how many queries run at once; a query that finds no
 * free session waits a bounded time rather than queueing without limit.
 *
 * <p>Closing is final and safe against queries starting at the same moment: no session is opened after
 * {@link #close()} began (the check and the open share a lock with it), so a query cannot reopen the database
 * files while a restore swaps them; and close waits up to {@link #CLOSE_WAIT_MILLIS} for borrowed sessions to
 * come back, so queries running at a swap usually finish rather than fail. Sessions still borrowed after that
 * are closed under their queries, which then fail with an error the client may retry.
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
    private final int size;
    private final long closeWaitMillis;
    private volatile boolean closed;

    /** How long {@link #close()} waits for borrowed sessions, by default. */
    static final long CLOSE_WAIT_MILLIS = 5_000;

    QueryPool(H2Sessions sessions, int size) {
        this(sessions, size, CLOSE_WAIT_MILLIS);
    }

    QueryPool(H2Sessions sessions, int size, long closeWaitMillis) {
        this.sessions = sessions;
        this.size = size;
        this.closeWaitMillis = closeWaitMillis;
        this.idle = new ArrayBlockingQueue<>(size);
        this.permits = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            permits.add(Boolean.TRUE);
        }
    }

    /**
     * @return a lease; empty if no session became free within {@code waitMillis}, or the pool is closed (the
     *         caller knows which: its store closing, or a restore swapping the database)
     * @throws SQLException if H2 refused to open a new session
     */
    Optional<Lease> borrow(long waitMillis) throws SQLException, InterruptedException {
        if (closed || permits.poll(waitMillis, TimeUnit.MILLISECONDS) == null) {
            return Optional.empty();
        }
        Connection c = idle.poll();
        if (c == null) {
            try {
                synchronized (all) { // close() takes this lock too: after it, no session opens the files again
                    if (!closed) {
                        c = sessions.openQuerySession(); // sessions open lazily and are replaced when discarded
                        all.add(c);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                permits.add(Boolean.TRUE);
                throw e;
            }
        }
        if (c == null || closed) {
            if (c != null) {
                H2Sessions.closeQuietly(c);
            }
            permits.add(Boolean.TRUE);
            return Optional.empty();
        }
        return Optional.of(new Lease(c));
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

    /**
     * Closes every session. Waits (at most the close wait) until borrowed sessions are returned, then closes
     * what is left. Call it once no new borrowers are expected (they get nothing from now on).
     */
    @Override
    public void close() {
        synchronized (all) {
            closed = true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeWaitMillis);
        int returned = 0;
        try {
            while (returned < size) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || permits.poll(left, TimeUnit.NANOSECONDS) == null) {
                    break;
                }
                returned++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        permits.addAll(java.util.Collections.nCopies(returned, Boolean.TRUE)); // borrow refuses anyway: closed
        synchronized (all) {
            all.forEach(H2Sessions::closeQuietly);
            all.clear();
        }
        idle.clear();
    }
}
