package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.server.LockstepNode;

/**
 * Without a majority no write can commit: the driver gives up within its configured timeout with
 * SQLTransientConnectionException (not a hang, not a silent success), and once a majority is back the same
 * connection writes again; the unacknowledged write was applied at most once.
 */
class NoQuorumIT {
    @TempDir
    Path dir;

    @Test
    void writesFailTransientlyWithinTheTimeoutAndRecoverWithTheMajority() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=3000&retryIntervalMs=200"));
                 Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
                LockstepNode leader = cluster.leader();
                for (LockstepNode n : cluster.runningNodes()) {
                    if (n != leader) {
                        cluster.stopNode(n.id());
                    }
                }
                long started = System.nanoTime();
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (1)"))
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("may or may not have been applied");
                long seconds = (System.nanoTime() - started) / 1_000_000_000L;
                assertThat(seconds).as("bounded by the URL's timeout and retries, not forever").isLessThan(60);

                for (String id : new String[] {"n1", "n2", "n3"}) {
                    if (!id.equals(leader.id())) {
                        cluster.startNode(id);
                    }
                }
                s.executeUpdate("INSERT INTO t VALUES (2)");
            }
            // reads after the recovery get more time than the 3 s of the failing write above: a timed-out read is
            // not retried, and right after a re-election a loaded machine may answer the first one late
            try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=20000"));
                 Statement s = c.createStatement()) {
                try (var rs = s.executeQuery("SELECT COUNT(*) FROM t WHERE id = 2")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
                try (var rs = s.executeQuery("SELECT COUNT(*) FROM t WHERE id = 1")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).as("the unacknowledged write: at most once").isLessThanOrEqualTo(1);
                }
            }
            Replicas.assertConverged(cluster.runningNodes());
        }
    }
    /**
     * A write's deadline is the statement's query timeout when that is below timeoutMs: without a majority the
     * write is retried until then (not until some retry count), then fails with 08006 saying how long it tried.
     * Generous margins: the bound is the deadline plus at most one attempt's wait (3 s), never timeoutMs.
     */
    @Test
    void aWriteFailsAtItsStatementTimeoutSayingHowLongItTried() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=60000"));
                 Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
                LockstepNode leader = cluster.leader();
                for (LockstepNode n : cluster.runningNodes()) {
                    if (n != leader) {
                        cluster.stopNode(n.id());
                    }
                }
                s.setQueryTimeout(2);
                long started = System.nanoTime();
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (1)"))
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("within its 2000 ms deadline")
                        .hasMessageContaining("attempt(s) over")
                        .hasMessageContaining("may or may not have been applied")
                        .satisfies(e -> assertThat(((SQLTransientConnectionException) e).getSQLState())
                                .isEqualTo("08006"));
                long millis = (System.nanoTime() - started) / 1_000_000L;
                assertThat(millis).as("retried until the 2 s deadline, not given up earlier").isGreaterThanOrEqualTo(2_000);
                assertThat(millis).as("bounded by the statement timeout, far below timeoutMs").isLessThan(20_000);
            }
        }
    }
}
