package org.lockstepdb.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread inserting numbered rows {@code (seq, payload)} into {@code events} over one connection, one write
 * at a time, recording which writes were acknowledged, which failed (with SQLState, message and how long they
 * took) and the longest write. {@code events} has no primary key on purpose: a write applied twice shows up as
 * a duplicate row ({@link #copiesBySeq}).
 */
final class WriteStream implements AutoCloseable {
    static final String CREATE_TABLE = "CREATE TABLE events (seq BIGINT NOT NULL, payload VARCHAR(40))";

    private final ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
    private final List<String> failures = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong longestWriteNanos = new AtomicLong();
    private final Thread writer;

    private WriteStream(String url) {
        writer = new Thread(() -> run(url), "write-stream");
        writer.start();
    }

    /** Starts writing through a new connection to {@code url}. */
    static WriteStream start(String url) {
        return new WriteStream(url);
    }

    private void run(String url) {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement p = c.prepareStatement("INSERT INTO events VALUES (?, ?)")) {
            for (long seq = 0; running.get(); seq++) {
                p.setLong(1, seq);
                p.setString(2, "row-" + seq);
                long started = System.nanoTime();
                try {
                    p.executeUpdate();
                    acknowledged.add(seq);
                } catch (SQLException e) {
                    fail("seq " + seq + " after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
                            + " ms: " + e.getSQLState() + " " + e.getMessage());
                }
                longestWriteNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
            }
        } catch (SQLException e) {
            fail("connection: " + e.getSQLState() + " " + e.getMessage());
        }
    }

    private void fail(String what) {
        synchronized (failures) {
            failures.add(what);
        }
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    List<Long> acknowledged() {
        return List.copyOf(acknowledged);
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    long longestWriteMillis() {
        return TimeUnit.NANOSECONDS.toMillis(longestWriteNanos.get());
    }

    /** Stops after the write in flight; true if the thread ended within {@code timeoutMillis}. */
    boolean stop(long timeoutMillis) throws InterruptedException {
        running.set(false);
        writer.join(timeoutMillis);
        return !writer.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        stop(60_000);
    }

    /** seq → number of rows with it, as the cluster behind {@code url} answers. */
    static Map<Long, Long> copiesBySeq(String url) throws SQLException {
        Map<Long, Long> copies = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT seq, COUNT(*) FROM events GROUP BY seq")) {
            while (rs.next()) {
                copies.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return copies;
    }
}
