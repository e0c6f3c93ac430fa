package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.server.LockstepNode;

/**
 * Queries run off Ratis' threads and within a time limit: a slow query never holds up writes, and a query past its
 * limit is cancelled inside H2 (57014) on the replica that ran it, without being re-run anywhere.
 */
class SlowQueryIT {
    /** Hours of CPU: only the time limit ends it. Each test uses its own bound so the sessions can be told apart. */
    private static String endless(int tag) {
        return "SELECT SUM(X) + " + tag + " FROM SYSTEM_RANGE(1, 1000000000000)";
    }

    @TempDir
    Path dir;

    @Test
    void fiveHundredWritesAreAcknowledgedWhileATwentySecondQueryRuns() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, o -> o.withQueryLimits(120_000, 4, 256))) {
            try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE w (id INT PRIMARY KEY, v INT)");
            }
            LockstepNode leader = cluster.leader();
            // A linearizable read runs on the leader, the node every write goes through.
            CompletableFuture<Throwable> slow = CompletableFuture.supplyAsync(() -> {
                try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=60000"));
                     Statement s = c.createStatement()) {
                    s.setQueryTimeout(20);
                    s.executeQuery(endless(1));
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            long started = System.nanoTime();
            Awaitility.await("the slow query runs on the leader").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> RunningStatements.count(leader, "SYSTEM_RANGE(1, 1000000000000)") == 1);

            List<Long> writeMillis = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(cluster.url());
                 PreparedStatement p = c.prepareStatement("INSERT INTO w VALUES (?, ?)")) {
                for (int i = 0; i < 500; i++) {
                    long t = System.nanoTime();
                    p.setInt(1, i);
                    p.setInt(2, i * 7);
                    assertThat(p.executeUpdate()).isEqualTo(1);
                    writeMillis.add((System.nanoTime() - t) / 1_000_000);
                }
            }
            long writesSeconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertThat(slow).as("the slow query is still running after all 500 writes (%d s)", writesSeconds)
                    .isNotDone();
            assertThat(RunningStatements.count(leader, "SYSTEM_RANGE(1, 1000000000000)")).isEqualTo(1);
            assertThat(writeMillis).as("every write acknowledged promptly (generous bound)").allMatch(ms -> ms < 5_000);
            System.out.printf("SlowQueryIT: 500 writes acknowledged in %d s while the query ran (median %d ms, max %d ms)%n",
                    writesSeconds, writeMillis.stream().sorted().toList().get(250),
                    writeMillis.stream().mapToLong(Long::longValue).max().orElse(0));

            Throwable outcome = slow.get(60, TimeUnit.SECONDS);
            long querySeconds = (System.nanoTime() - started) / 1_000_000_000L;
            assertThat(outcome).isInstanceOf(SQLTimeoutException.class);
            assertThat(((SQLException) outcome).getSQLState()).isEqualTo("57014");
            assertThat(querySeconds).as("cancelled at its 20 s limit, not before").isBetween(17L, 50L);
            Awaitility.await("the cancelled statement is gone").atMost(Duration.ofSeconds(10))
                    .until(() -> RunningStatements.count(leader, "SYSTEM_RANGE(1, 1000000000000)") == 0);
            try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT COUNT(*), SUM(v) FROM w")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(500);
                assertThat(rs.getLong(2)).isEqualTo(7L * 499 * 500 / 2);
            }
            Replicas.assertConverged(cluster.runningNodes());
        }
    }

    @Test
    void aQueryPastTheServersLimitIsCancelledThereAndNotRunAgainElsewhere() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, o -> o.withQueryLimits(3_000, 2, 16))) {
            try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
                s.executeUpdate("INSERT INTO t VALUES (1), (2), (3)");
            }
            for (String read : List.of("linearizable", "follower", "stale")) {
                try (Connection c = DriverManager.getConnection(cluster.url("read=" + read + "&timeoutMs=30000"));
                     Statement s = c.createStatement()) {
                    int tag = read.length();
                    long started = System.nanoTime();
                    SQLException e = null;
                    try {
                        s.executeQuery(endless(tag));
                    } catch (SQLException thrown) {
                        e = thrown;
                    }
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    assertThat((Object) e).as(read).isInstanceOf(SQLTimeoutException.class);
                    assertThat(e.getSQLState()).isEqualTo("57014");
                    assertThat(e.getMessage()).contains("3000 ms");
                    assertThat(millis).as("%s: one run of 3 s, not retried on another replica", read)
                            .isBetween(2_500L, 5_900L);
                    // H2 stopped it: no replica is still executing it, and a query right after is answered.
                    for (LockstepNode n : cluster.runningNodes()) {
                        assertThat(RunningStatements.count(n, "SUM(X) + " + tag + " FROM")).as(n.id()).isZero();
                    }
                    long quick = System.nanoTime();
                    try (var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                        rs.next();
                        assertThat(rs.getInt(1)).isEqualTo(3);
                    }
                    assertThat((System.nanoTime() - quick) / 1_000_000).as("answered promptly").isLessThan(5_000);
                }
            }
        }
    }
}
