package org.lockstepdb.jdbc;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Waits at most a given time for a request whose own retries may take longer (a query's Ratis read retries until
 * the URL's {@code timeoutMs}): {@code isValid(seconds)} and {@code setNetworkTimeout} bound the caller's wait, not
 * the request, which ends on its own within {@code timeoutMs} in the background (a query also carries the bound
 * as its server-side time limit, so the replica cancels it). The requests run on a shared pool of daemon threads,
 * at most {@link #MAX_THREADS}; when all are busy the request runs on the caller's thread, unbounded.
 */
final class BoundedWait {
    static final int MAX_THREADS = 256;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "lockstep-bounded-wait-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private BoundedWait() {
    }

    /** A call that may throw SQLException. */
    interface SqlCall<T> {
        T call() throws SQLException;
    }

    /**
     * Runs {@code call} and waits at most {@code millis} (> 0) for it.
     *
     * @throws SQLTimeoutException HYT00 when no answer came in time; {@code what} names what timed out
     */
    static <T> T call(SqlCall<T> call, long millis, String what) throws SQLException {
        Callable<T> task = call::call;
        Future<T> future;
        try {
            future = POOL.submit(task);
        } catch (RejectedExecutionException e) {
            return call.call();
        }
        try {
            return future.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new SQLTimeoutException("No answer within " + millis + " ms (" + what + "); the cluster may be "
                    + "unreachable or without a leader", "HYT00", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new SQLException("Interrupted while waiting for the cluster", "08006", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException s) {
                throw s;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new SQLException("The request failed: " + cause, "08006", cause);
        }
    }
}
