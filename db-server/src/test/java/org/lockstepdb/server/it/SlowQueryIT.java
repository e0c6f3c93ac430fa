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
            // A linearizable read runs on the leader, the node every write goes through. It runs until it is
            // cancelled below (after at least 20 s), or at the latest at its raised limit of 58 s.
            try (Connection slowConnection = DriverManager.getConnection(cluster.url("timeoutMs=60000"));
                 Statement slowStatement = slowConnection.createStatement()) {
                slowStatement.setQueryTimeout(58);
                CompletableFuture<Throwable> slow = CompletableFuture.supplyAsync(() -> {
                    try {
                        slowStatement.executeQuery(endless(1));
                        return null;
                    } catch (SQLException e) {
                        return e;
                    }
                });
                long started = System.nanoTime();
                Awaitility.await("the slow query runs on the leader").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> RunningStatements.count(leader, "SYSTEM_RANGE(1, 1000000000000)") == 1);

                // 500 writes from 5 clients (100 each, one after the other), as an application would send them.
                long writesStarted = System.nanoTime();
                List<CompletableFuture<List<Long>>> writers = new ArrayList<>();
                for (int w = 0; w < 5; w++) {
                    int first = w * 100;
                    writers.add(CompletableFuture.supplyAsync(() -> writeHundred(cluster.url(), first)));
                }
                List<Long> writeMillis = new ArrayList<>();
                for (CompletableFuture<List<Long>> writer : writers) {
                    writeMillis.addAll(writer.get(120, TimeUnit.SECONDS));
                }
                long writesMillis = (System.nanoTime() - writesStarted) / 1_000_000;
                assertThat(writeMillis).hasSize(500);
                assertThat(slow).as("the slow query is still running after all 500 writes (%d ms)", writesMillis)
                        .isNotDone();
                assertThat(RunningStatements.count(leader, "SYSTEM_RANGE(1, 1000000000000)")).isEqualTo(1);
                assertThat(writeMillis).as("every write acknowledged promptly (generous bound)")
                        .allMatch(ms -> ms < 5_000);
                System.out.printf("SlowQueryIT: 500 writes acknowledged in %d ms while the query ran "
                        + "(median %d ms, max %d ms)%n",
                        writesMillis, writeMillis.stream().sorted().toList().get(250),
                        writeMillis.stream().mapToLong(Long::longValue).max().orElse(0));

                // Let it run for 20 s in all (if the writes were faster), still running, then stop it.
                long twentySecondsAt = started + TimeUnit.SECONDS.toNanos(20);
                Duration untilTwenty = Duration.ofNanos(Math.max(1, twentySecondsAt - System.nanoTime()));
                Awaitility.await("20 s of query").pollDelay(untilTwenty)
                        .atMost(Duration.ofSeconds(30)).until(() -> true);
                assertThat(slow).isNotDone();
                assertThat(RunningStatements.count(leader, "SYSTEM_RANGE(1, 1000000000000)")).isEqualTo(1);
                slowStatement.cancel();
                Throwable outcome = slow.get(30, TimeUnit.SECONDS);
                long querySeconds = (System.nanoTime() - started) / 1_000_000_000L;
                assertThat(outcome).isInstanceOf(SQLTimeoutException.class)
                        .hasMessageContaining("cancelled by its client");
                assertThat(((SQLException) outcome).getSQLState()).isEqualTo("57014");
                assertThat(querySeconds).as("ran at least 20 s").isGreaterThanOrEqualTo(20L);
            }
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
    void aClientThatWaitsLessThanTheServerGetsItsQueryCancelledOnTheServer() throws Exception {
        // The reported runaway: the client stopped waiting long before the server's own limit (30 s default).
        try (TestCluster cluster = TestCluster.start(dir, 3);
             Connection c = DriverManager.getConnection(cluster.url("timeoutMs=4000"));
             Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
            long started = System.nanoTime();
            SQLException e = null;
            try {
                s.executeQuery(endless(4));
            } catch (SQLException thrown) {
                e = thrown;
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat((Object) e).isInstanceOf(SQLTimeoutException.class);
            assertThat(e.getSQLState()).isEqualTo("57014");
            // timeoutMs less its margin (3200 ms), less the moments the request took to reach the query thread
            assertThat(e.getMessage()).as("the limit applied").containsPattern("time limit of 3[0-2]\\d\\d ms");
            // one run of ~3.2 s (a second run elsewhere would take twice that), plus a loaded machine's latency
            assertThat(millis).as("one run, ended by the server").isBetween(3_000L, 6_000L);
            assertThat(total(cluster, "SUM(X) + 4 FROM")).as("no replica still runs it").isZero();
        }
    }

    @Test
    void statementCancelStopsTheQueryOnTheReplicaRunningIt() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3);
             Connection c = DriverManager.getConnection(cluster.url("read=follower&timeoutMs=60000"));
             Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
            CompletableFuture<Throwable> query = CompletableFuture.supplyAsync(() -> {
                try {
                    s.executeQuery(endless(9));
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            String marker = "SUM(X) + 9 FROM";
            Awaitility.await("the query runs on a replica").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).until(() -> total(cluster, marker) == 1);
            long started = System.nanoTime();
            s.cancel();
            Throwable outcome = query.get(30, TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(SQLTimeoutException.class).hasMessageContaining("cancelled by its client");
            assertThat(((SQLException) outcome).getSQLState()).isEqualTo("57014");
            assertThat((System.nanoTime() - started) / 1_000_000).as("stopped at once, not at a time limit")
                    .isLessThan(10_000);
            assertThat(total(cluster, marker)).isZero();
            s.cancel(); // nothing running: a no-op
            try (var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    /** Inserts ids first..first+99 one by one; returns each write's latency in ms. */
    private static List<Long> writeHundred(String url, int first) {
        List<Long> millis = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement p = c.prepareStatement("INSERT INTO w VALUES (?, ?)")) {
            for (int i = first; i < first + 100; i++) {
                long t = System.nanoTime();
                p.setInt(1, i);
                p.setInt(2, i * 7);
                if (p.executeUpdate() != 1) {
                    throw new IllegalStateException("insert " + i + " did not insert one row");
                }
                millis.add((System.nanoTime() - t) / 1_000_000);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return millis;
    }

    private static long total(TestCluster cluster, String marker) throws SQLException {
        long n = 0;
        for (LockstepNode node : cluster.runningNodes()) {
            n += RunningStatements.count(node, marker);
        }
        return n;
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
