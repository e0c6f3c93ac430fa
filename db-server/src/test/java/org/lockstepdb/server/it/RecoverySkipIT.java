package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.server.raft.RecoverySkip;

/**
 * The operator recovery path (docs/OPERATIONS.md): a log entry that every replica fails to apply stops every
 * replica at every restart; {@code --skip-log-entry N} on a majority applies it as a rejected entry and the
 * cluster serves again with identical replicas. A flag on a minority skips nothing.
 */
class RecoverySkipIT {
    @TempDir
    Path dir;

    @Test
    void aMajorityStartedWithTheSameFlagSkipsTheEntryEveryReplicaFailsOn() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            sql(cluster, "CREATE TABLE t (id INT PRIMARY KEY)", "CREATE TABLE boom (id INT PRIMARY KEY)",
                    "INSERT INTO t VALUES (1)");
            plantFailingTrigger(cluster);
            try (Connection c = DriverManager.getConnection(cluster.url())) {
                for (String id : List.of("n1", "n2", "n3")) { // the trigger must survive the rebuild after a failure
                    c.unwrap(LockstepConnection.class).admin().snapshot(id);
                }
            }
            // the failing write must reach the log: a linearizable read first proves a leader serves again after
            // the restarts and snapshots (under CI load an election can outlast the write's timeout)
            try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=10000"));
                 Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO boom VALUES (1)")).isInstanceOf(SQLException.class);
            }
            awaitStopped(cluster, List.of("n1", "n2", "n3"));
            // every replica applied everything before the entry it fails on
            long stuck = Replicas.lastApplied(cluster.runningNodes()) + 1;
            restart(cluster, "n1", "n2", "n3", RecoverySkip.NONE); // a plain restart fails at the same entry again
            awaitStopped(cluster, List.of("n1", "n2", "n3"));

            // a minority with the flag skips nothing
            restart(cluster, "n1", stuck);
            restart(cluster, "n2", "n3", RecoverySkip.NONE);
            awaitStopped(cluster, List.of("n2", "n3"));
            Awaitility.await("n1 waits for a majority").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.node("n1").stateMachine().store().appliedIndex().index() < stuck);

            // the same flag on a second replica: a majority skips the entry
            restart(cluster, "n2", stuck);
            Awaitility.await("n1 and n2 skip entry " + stuck).atMost(Duration.ofSeconds(60)).until(() ->
                    cluster.node("n1").stateMachine().store().appliedIndex().index() >= stuck
                            && cluster.node("n2").stateMachine().store().appliedIndex().index() >= stuck);
            restart(cluster, "n3", stuck); // the last one follows, agreed by the two others
            sql(cluster, "INSERT INTO t VALUES (2)");
            try (Connection c = DriverManager.getConnection(cluster.url());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM t), (SELECT COUNT(*) FROM boom)")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getInt(2)).as("nothing of the skipped entry was applied").isZero();
                LockstepAdmin.VerifyReport report = c.unwrap(LockstepConnection.class).admin().verify();
                assertThat(report.replicas()).hasSize(3).allMatch(LockstepAdmin.ReplicaChecksum::answered);
                assertThat(report.consistent()).as("%s", report).isTrue();
            }
        }
    }

    /** Plants {@link FailingTrigger} on table BOOM of every replica's H2 file, with the replicas stopped. */
    private static void plantFailingTrigger(TestCluster cluster) throws Exception {
        for (String id : List.of("n1", "n2", "n3")) {
            cluster.stopNode(id);
            try (Connection h2 = DriverManager.getConnection("jdbc:h2:file:"
                    + cluster.options(id).databaseDir().resolve("h2/lockstep") + ";DB_CLOSE_ON_EXIT=FALSE", "LOCKSTEP", "");
                 Statement s = h2.createStatement()) {
                s.execute("CREATE TRIGGER boom_fails BEFORE INSERT ON PUBLIC.BOOM FOR EACH ROW CALL \""
                        + FailingTrigger.class.getName() + "\"");
            }
        }
        for (String id : List.of("n1", "n2", "n3")) {
            cluster.startNode(id);
        }
    }

    private static void restart(TestCluster cluster, String a, String b, long skip) throws Exception {
        restart(cluster, a, skip);
        restart(cluster, b, skip);
    }

    private static void restart(TestCluster cluster, String a, String b, String c, long skip) throws Exception {
        restart(cluster, a, b, skip);
        restart(cluster, c, skip);
    }

    private static void restart(TestCluster cluster, String id, long skip) throws Exception {
        if (cluster.runningNodes().stream().anyMatch(n -> n.id().equals(id))) {
            cluster.stopNode(id);
        }
        cluster.startNode(id, new RecoverySkip(skip));
    }

    /** Waits until each named replica's Raft server closed itself (its apply failed). */
    private static void awaitStopped(TestCluster cluster, List<String> ids) {
        Awaitility.await("replicas " + ids + " stop on the failing entry").atMost(Duration.ofSeconds(60))
                .until(() -> ids.stream().allMatch(id -> closed(cluster, id)));
    }

    private static boolean closed(TestCluster cluster, String id) {
        try {
            return !cluster.node(id).raftServer().getDivision(cluster.groupId()).getInfo().isAlive();
        } catch (java.io.IOException e) {
            return true; // the division is gone
        }
    }

    private static void sql(TestCluster cluster, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.executeUpdate(sql);
            }
        }
    }
}
