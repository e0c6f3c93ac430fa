package org.lockstepdb.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lockstepdb.server.it.SharedCluster;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * HikariCP 7 against a three-replica cluster: a pool of 4 connections validated with {@code isValid} (no test
 * query), 8 threads borrowing it for inserts and reads, and the leader killed while the pool is busy: the pool
 * carries on without the application restarting anything, and every acknowledged insert is there.
 */
@ExtendWith(SharedCluster.class)
class HikariIT {
    private static final int THREADS = 8;
    private static HikariDataSource pool;

    @BeforeAll
    static void startPool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(SharedCluster.url());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(30_000);
        config.setValidationTimeout(2_000);
        config.setPoolName("compat");
        pool = new HikariDataSource(config);
        new JdbcTemplate(pool).execute("CREATE TABLE hk_event (thread INT, seq INT, PRIMARY KEY (thread, seq))");
    }

    @Test
    void eightThreadsShareFourConnections() throws Exception {
        runThreads(200, "busy", null);
        assertThat(new JdbcTemplate(pool).queryForObject("SELECT COUNT(*) FROM hk_event WHERE thread < 100",
                Integer.class)).isEqualTo(THREADS * 200);
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isLessThanOrEqualTo(4);
    }

    @Test
    void thePoolRecoversFromALeaderKill() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger afterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        String stopped = null;
        ExecutorService killer = Executors.newSingleThreadExecutor();
        try {
            Future<String> kill = killer.submit(() -> {
                Awaitility.await("inserts before the kill").atMost(Duration.ofSeconds(60))
                        .until(() -> acknowledged.size() >= 100);
                String id = SharedCluster.stopLeader();
                killed.set(true);
                return id;
            });
            // threads 100..107: 150 inserts each; inserts that fail during the failover are retried by the thread
            runThreads(150, "failover", (key) -> {
                acknowledged.add(key);
                if (killed.get()) {
                    afterKill.incrementAndGet();
                }
            });
            stopped = kill.get(60, TimeUnit.SECONDS);
        } finally {
            killer.shutdownNow();
            if (stopped != null) {
                SharedCluster.restart(stopped);
            }
        }
        assertThat(afterKill.get()).as("inserts acknowledged after the leader was killed").isGreaterThan(100);
        List<String> stored = new JdbcTemplate(pool).queryForList(
                "SELECT thread || ':' || seq FROM hk_event WHERE thread >= 100", String.class);
        assertThat(stored).containsAll(acknowledged).hasSize(THREADS * 150);
    }

    interface Acknowledgement {
        void inserted(String key);
    }

    /**
     * {@code THREADS} threads each insert {@code perThread} rows (thread id offset by 100 for the failover run) and
     * read their count back, each step with a connection borrowed from the pool; a failed step (a failover) is
     * retried after a pause, at most for 60 s per thread.
     */
    private static void runThreads(int perThread, String run, Acknowledgement acknowledgement) throws Exception {
        int base = acknowledgement == null ? 0 : 100;
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = base + t;
                done.add(threads.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                    int failures = 0;
                    for (int seq = 0; seq < perThread; ) {
                        try (Connection c = pool.getConnection()) {
                            insertOnce(c, thread, seq);
                            if (acknowledgement != null) {
                                acknowledgement.inserted(thread + ":" + seq);
                            }
                            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM hk_event WHERE thread = ?")) {
                                ps.setInt(1, thread);
                                try (ResultSet rs = ps.executeQuery()) {
                                    rs.next();
                                    assertThat(rs.getInt(1)).isEqualTo(seq + 1);
                                }
                            }
                            seq++;
                        } catch (SQLException e) {
                            failures++;
                            if (System.nanoTime() > deadline) {
                                throw new AssertionError(run + ": thread " + thread + " still failing", e);
                            }
                            Thread.sleep(100);
                        }
                    }
                    return failures;
                }));
            }
            for (Future<Integer> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Inserts (thread, seq) unless a retried earlier attempt whose answer was lost already did (08006 is ambiguous). */
    private static void insertOnce(Connection c, int thread, int seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO hk_event (thread, seq) SELECT ?, ? WHERE NOT EXISTS "
                        + "(SELECT 1 FROM hk_event WHERE thread = ? AND seq = ?)")) {
            ps.setInt(1, thread);
            ps.setInt(2, seq);
            ps.setInt(3, thread);
            ps.setInt(4, seq);
            ps.executeUpdate();
        }
    }

    @AfterAll
    static void replicasEqual() throws SQLException {
        if (pool != null) {
            pool.close();
        }
        SharedCluster.assertReplicasEqual();
    }
}
