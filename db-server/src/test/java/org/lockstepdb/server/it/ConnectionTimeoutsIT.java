package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.server.LockstepNode;

/**
 * isValid(seconds) and setNetworkTimeout bound how long a caller waits when no replica answers (what a pool such as
 * HikariCP relies on), well below the URL's timeoutMs; Statement.setQueryTimeout and a network timeout stop a
 * running query on its replica. Elapsed-time bounds are generous: these are functional timeouts, not performance.
 * One cluster for the class; the test that stops every replica runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectionTimeoutsIT {
    @TempDir
    static Path dir;
    static ConnectedCluster shared;
    static TestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        shared = ConnectedCluster.start(dir);
        cluster = shared.cluster();
    }

    @AfterAll
    static void stop() throws Exception {
        shared.close();
    }

    @Test
    @Order(1)
    void aQueryTimeoutAndANetworkTimeoutCancelARunningQueryOnTheReplica() throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=20000"));
                Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            long start = System.nanoTime();
            assertThatThrownBy(() -> s.executeQuery("SELECT SUM(X) + 11 FROM SYSTEM_RANGE(1, 1000000000000)"))
                    .isInstanceOf(SQLTimeoutException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57014"));
            assertThat(elapsedMillis(start)).isLessThan(5000);
            s.setQueryTimeout(0);
            c.setNetworkTimeout(Runnable::run, 1000);
            long bounded = System.nanoTime();
            assertThatThrownBy(() -> s.executeQuery("SELECT SUM(X) + 12 FROM SYSTEM_RANGE(1, 1000000000000)"))
                    .isInstanceOf(SQLTimeoutException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).matches("57014|HYT00"));
            assertThat(elapsedMillis(bounded)).isLessThan(5000);
            c.setNetworkTimeout(Runnable::run, 0);
            // the replica freed the query (its limit travelled with it): nothing of either still runs
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                long n = 0;
                for (LockstepNode node : cluster.runningNodes()) {
                    n += RunningStatements.count(node, "SYSTEM_RANGE(1, 1000000000000)");
                }
                return n == 0;
            });
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    @Order(2)
    void isValidAndTheNetworkTimeoutAreHonouredWithEveryReplicaStopped() throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=20000"));
                Connection bounded = DriverManager.getConnection(cluster.url("timeoutMs=20000"))) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
            }
            assertThat(c.isValid(1)).isTrue();
            bounded.setNetworkTimeout(Runnable::run, 1000);
            assertThat(bounded.getNetworkTimeout()).isEqualTo(1000);
            for (String id : new String[] {"n1", "n2", "n3"}) {
                cluster.stopNode(id);
            }

            long start = System.nanoTime();
            assertThat(c.isValid(1)).isFalse();
            assertThat(elapsedMillis(start)).isLessThan(3000);

            try (Statement s = bounded.createStatement()) {
                long read = System.nanoTime();
                assertThatThrownBy(() -> s.executeQuery("SELECT COUNT(*) FROM t")).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).matches("HYT00|08.*|57014"));
                assertThat(elapsedMillis(read)).isLessThan(4000);
                long write = System.nanoTime();
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (1)")).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).matches("HYT00|08.*"));
                assertThat(elapsedMillis(write)).isLessThan(4000);
            }
        }
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
