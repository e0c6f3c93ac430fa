package org.lockstepdb.server.raft;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;

/**
 * Where reads run: a fixed number of threads with a bounded queue, never a Ratis thread. Ratis applies the log on
 * one thread and serves RPCs on a few; a query that ran on either would hold up writes, heartbeats and elections
 * for as long as it runs. When every thread is busy and the queue is full a read is refused at once (SQLState
 * 53400) rather than queued without limit.
 */
final class QueryExecutor implements AutoCloseable {
    private final String name;
    private final int queueLimit;
    private final ThreadPoolExecutor pool;

    /**
     * @param threads    reads that run at once (at most the store's query sessions, so none waits for one)
     * @param queueLimit reads that may wait for a thread; 0 = none wait
     */
    QueryExecutor(String name, int threads, int queueLimit) {
        this.name = name;
        this.queueLimit = queueLimit;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                queueLimit == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueLimit), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code read} on one of the threads.
     *
     * @return its reply; an {@link ErrorReply} 53400 without running it when the queue is full, 08003 after
     *         {@link #close()}
     */
    CompletableFuture<Reply> submit(Supplier<Reply> read) {
        if (pool.isShutdown()) {
            return CompletableFuture.completedFuture(ServerErrors.shuttingDown());
        }
        try {
            return CompletableFuture.supplyAsync(read, pool).exceptionally(QueryExecutor::internalError);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(pool.isShutdown()
                    ? ServerErrors.shuttingDown()
                    : ServerErrors.busy(pool.getActiveCount() + " " + name
                            + " reads are running and " + queueLimit + " are waiting (--query-threads, "
                            + "--query-queue); retry later or on another replica"));
        }
    }

    /**
     * A read that failed outside the store's own error handling: a short reply, never the exception itself (Ratis
     * would send its message, or a StackOverflowError's stack, in a gRPC header, which overflows and looks like a
     * dead replica to the client).
     */
    private static Reply internalError(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof StackOverflowError) {
            return ServerErrors.nestedTooDeeply();
        }
        String message = String.valueOf(cause);
        return ServerErrors.internal("running the read: "
                + (message.length() > 500 ? message.substring(0, 500) + "…" : message));
    }

    /** Reads queued or running now (for tests and status). */
    int pending() {
        return pool.getActiveCount() + pool.getQueue().size();
    }

    /** Refuses new reads; running ones end with their statement timeout or the store's close. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
