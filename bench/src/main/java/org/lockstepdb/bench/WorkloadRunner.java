package org.lockstepdb.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Runs one workload with {@code clients} closed-loop client threads: every thread opens its own client
 * (connection), all start together, run {@code warmup} unmeasured, then {@code duration} measured, and stop.
 *
 * <p>An operation belongs to the phase in which it <em>started</em>; its latency (start to end, nanoseconds)
 * goes into its thread's own {@link Histogram}, merged when the threads have finished. A failed operation is
 * counted as an error and the client goes on (after a 1 ms pause so a dead server does not cause a busy loop).
 * A client still busy {@code grace} after the end is interrupted and counted as one error. Nothing here judges
 * the error count: see {@link #requireFewErrors}.
 */
public final class WorkloadRunner {
    /** At most this share of failed operations is tolerated by {@link #requireFewErrors}. */
    public static final double MAX_ERROR_RATE = 0.01;

    /** One client's connection and prepared state; used by one thread only. */
    public interface Client extends AutoCloseable {
        /** @return rows written or read */
        int runOnce(long opIndex) throws Exception;

        /** Attempts retried so far inside operations (see {@link Workload.Worker#retries}). */
        default long retries() {
            return 0;
        }

        @Override
        void close() throws Exception;
    }

    /** Opens client number {@code threadIndex} (0-based); called on that client's thread. */
    @FunctionalInterface
    public interface ClientFactory {
        Client open(int threadIndex) throws Exception;
    }

    /** Where JDBC clients get their connections. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection connect() throws SQLException;
    }

    /**
     * @param openTimeout how long all clients together may take to connect
     * @param grace       how long after the end of the measurement a client may still take to finish its last op
     */
    public record Settings(int clients, Duration warmup, Duration duration, Duration openTimeout, Duration grace) {
        public Settings {
            if (clients < 1) {
                throw new IllegalArgumentException("need at least one client");
            }
            if (warmup.isNegative() || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("need warmup >= 0 and duration > 0");
            }
        }

        public static Settings of(int clients, Duration warmup, Duration duration) {
            return new Settings(clients, warmup, duration, Duration.ofSeconds(120), Duration.ofSeconds(60));
        }
    }

    private WorkloadRunner() {
    }

    /** Clients for a SQL {@link Workload}: each its own connection, closed with the client. */
    public static ClientFactory jdbc(ConnectionSource source, Workload workload) {
        return threadIndex -> {
            Connection connection = source.connect();
            try {
                Workload.Worker worker = workload.open(connection, threadIndex);
                return new Client() {
                    @Override
                    public int runOnce(long opIndex) throws Exception {
                        return worker.runOnce(opIndex);
                    }

                    @Override
                    public long retries() {
                        return worker.retries();
                    }

                    @Override
                    public void close() throws SQLException {
                        connection.close();
                    }
                };
            } catch (SQLException | RuntimeException e) {
                closeQuietly(connection);
                throw e;
            }
        };
    }

    /**
     * Runs a SQL workload end to end: set-up on its own connection, the clients, the workload's
     * {@link Workload#check} (its answer becomes the result's note; its failure fails the run), then tear-down
     * (best effort).
     */
    public static BenchResult runJdbc(String system, Workload workload, Settings settings, ConnectionSource source)
            throws SQLException, InterruptedException {
        try (Connection c = source.connect()) {
            workload.setUp(c);
        }
        try {
            BenchResult r = run(system, workload.name(), settings, jdbc(source, workload));
            try (Connection c = source.connect()) {
                return r.withNote(workload.check(c));
            }
        } finally {
            try (Connection c = source.connect()) {
                workload.tearDown(c);
            } catch (SQLException | RuntimeException e) {
                System.err.println("bench: tear-down of " + system + " " + workload.name() + " failed: " + e);
            }
        }
    }

    public static BenchResult run(String system, String workload, Settings settings, ClientFactory factory)
            throws InterruptedException {
        int n = settings.clients();
        Phase phase = new Phase(n);
        List<ClientThread> clients = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ClientThread c = new ClientThread(i, factory, phase);
            c.thread = new Thread(c, "bench-" + system + "-" + workload + "-" + i);
            c.thread.setDaemon(true);
            clients.add(c);
            c.thread.start();
        }
        if (!phase.ready.await(settings.openTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            phase.stop = true;
        }
        long now = System.nanoTime();
        phase.measureStart = now + settings.warmup().toNanos();
        phase.measureEnd = phase.measureStart + settings.duration().toNanos();
        phase.go.countDown();

        long deadline = phase.measureEnd + settings.grace().toNanos();
        for (ClientThread c : clients) {
            long waitMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            c.thread.join(waitMillis);
        }

        Histogram latency = new Histogram(3);
        long ops = 0;
        long rows = 0;
        long errors = 0;
        long warmupOps = 0;
        long retries = 0;
        long lastEnd = phase.measureStart;
        String firstError = null;
        for (ClientThread c : clients) {
            if (c.thread.isAlive()) {
                phase.stop = true;
                c.thread.interrupt();
                errors++;
                if (firstError == null) {
                    firstError = "client " + c.index + " was still busy " + settings.grace().toSeconds()
                            + " s after the end of the measurement";
                }
                closeInBackground(c);
                continue;
            }
            latency.add(c.latency);
            ops += c.ops;
            rows += c.rows;
            errors += c.errors;
            warmupOps += c.warmupOps;
            retries += c.retries;
            lastEnd = Math.max(lastEnd, c.lastEnd);
            if (firstError == null && c.firstError != null) {
                firstError = c.firstError;
            }
        }
        if (phase.stop && firstError == null) {
            firstError = "not all clients connected within " + settings.openTimeout().toSeconds() + " s";
        }
        double seconds = Math.max(lastEnd - phase.measureStart, 1) / 1e9;
        if (ops + errors == 0) {
            seconds = settings.duration().toNanos() / 1e9;
        }
        return new BenchResult(system, workload, n, seconds, ops, rows, errors, warmupOps, latency, firstError,
                retries, null);
    }

    /** Throws if more than {@link #MAX_ERROR_RATE} of the operations failed, or none succeeded. */
    public static void requireFewErrors(BenchResult r) throws BenchAbortedException {
        if (r.ops() == 0) {
            throw new BenchAbortedException(String.format(Locale.ROOT,
                    "%s %s: no operation succeeded (%d errors)%s", r.system(), r.workload(), r.errors(),
                    r.firstError() == null ? "" : "; first error: " + r.firstError()));
        }
        if (r.errorRate() > MAX_ERROR_RATE) {
            throw new BenchAbortedException(String.format(Locale.ROOT,
                    "%s %s: %d of %d operations failed (%.2f%%, more than %.0f%%); first error: %s",
                    r.system(), r.workload(), r.errors(), r.ops() + r.errors(), 100 * r.errorRate(),
                    100 * MAX_ERROR_RATE, r.firstError()));
        }
    }

    private static void closeInBackground(ClientThread c) {
        Thread t = new Thread(() -> c.closeClient(), "bench-close-" + c.index);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure: the failure is what gets reported
        }
    }

    /** Timing shared by the clients; written before {@link #go} opens, so read safely after it. */
    private static final class Phase {
        final CountDownLatch ready;
        final CountDownLatch go = new CountDownLatch(1);
        long measureStart;
        long measureEnd;
        volatile boolean stop;

        Phase(int clients) {
            ready = new CountDownLatch(clients);
        }
    }

    private static final class ClientThread implements Runnable {
        final int index;
        final ClientFactory factory;
        final Phase phase;
        final Histogram latency = new Histogram(3);
        Thread thread;
        volatile Client client;
        long ops;
        long rows;
        long errors;
        long warmupOps;
        long retries;
        long lastEnd;
        String firstError;

        ClientThread(int index, ClientFactory factory, Phase phase) {
            this.index = index;
            this.factory = factory;
            this.phase = phase;
        }

        @Override
        public void run() {
            try {
                try {
                    client = factory.open(index);
                } catch (Exception | Error e) {
                    errors++;
                    firstError = "client " + index + " could not connect: " + describe(e);
                    return;
                } finally {
                    phase.ready.countDown();
                }
                phase.go.await();
                loop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                // not an operation failure (those are counted in loop()) but a bug or a broken JVM: stop this client
                errors++;
                if (firstError == null) {
                    firstError = "client " + index + " died: " + describe(e);
                }
            } finally {
                closeClient();
            }
        }

        private void loop() throws InterruptedException {
            long measureStart = phase.measureStart;
            long measureEnd = phase.measureEnd;
            long opIndex = 0;
            while (!phase.stop) {
                long start = System.nanoTime();
                if (start - measureEnd >= 0) {
                    return;
                }
                boolean measured = start - measureStart >= 0;
                long retriedBefore = client.retries();
                int done;
                try {
                    done = client.runOnce(opIndex++);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                    if (measured) {
                        retries += client.retries() - retriedBefore;
                        errors++;
                        lastEnd = System.nanoTime();
                        if (firstError == null) {
                            firstError = describe(e);
                        }
                    }
                    Thread.sleep(1);
                    continue;
                }
                long end = System.nanoTime();
                if (measured) {
                    ops++;
                    rows += done;
                    retries += client.retries() - retriedBefore;
                    latency.recordValue(Math.max(1, end - start));
                    lastEnd = end;
                } else {
                    warmupOps++;
                }
            }
        }

        void closeClient() {
            Client c = client;
            client = null;
            if (c != null) {
                closeQuietly(c);
            }
        }
    }

    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.toString());
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.getCause()) {
            sb.append(" <- ").append(cause);
        }
        return sb.toString();
    }
}
