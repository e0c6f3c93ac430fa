package org.lockstepdb.storage;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One thread with a very large stack on which a replica runs the SQL of log entries.
 *
 * <p>Why: H2 parses, plans and evaluates nested SQL recursively (parentheses, NOT NOT …, nested CASE, ARRAY[…],
 * chains of casts, views over views). Whether a deeply nested statement overflows a thread's stack depends on
 * the stack's size and on which of H2's methods the JIT has compiled, so on a normal stack the same log entry
 * could apply on one replica, fail on another, and stop a third at every restart. On this thread's stack
 * ({@link #STACK_BYTES}, address space reserved, memory used only as deep as a statement goes) no statement
 * within the limits the guard and {@link WriteGuard} enforce (text length, nesting, view depth) comes near the
 * end, so every replica gets the same outcome.
 */
final class DeepStackThread implements AutoCloseable {
    /** 1 GiB of stack: 1,000x the JVM default; a statement of the 1 MiB text limit needs far less. */
    static final long STACK_BYTES = 1L << 30;

    /** Work that may throw H2's SQLException. */
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    private final ExecutorService thread;

    DeepStackThread(String name) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, name, STACK_BYTES);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code work} on the deep thread and waits for it (uninterruptibly: the apply session must not be used
     * by two threads); its SQLException, RuntimeException or Error is rethrown as is.
     */
    <T> T call(SqlWork<T> work) throws SQLException {
        Future<T> result = thread.submit(work::run);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof SQLException sql) {
                        throw sql;
                    }
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
