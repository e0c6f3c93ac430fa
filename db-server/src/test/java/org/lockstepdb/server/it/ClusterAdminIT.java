package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;

/** Cluster administration through the driver's admin API (what `lockstep admin` runs): add, transfer, remove. */
class ClusterAdminIT {
    @TempDir
    Path dir;

    @Test
    void addTransferLeadershipAndRemoveAReplica() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
                s.executeUpdate("INSERT INTO t SELECT X, 'v' || X FROM SYSTEM_RANGE(1, 1000)");
                c.unwrap(LockstepConnection.class).admin().snapshot(null);
            }

            String address = cluster.startJoiningNode("n4");
            try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
                LockstepAdmin admin = c.unwrap(LockstepConnection.class).admin();
                admin.addReplica("n4", address);
                s.executeUpdate("INSERT INTO t VALUES (1001, 'after add')");
            }
            Replicas.assertConverged(cluster.runningNodes());
            try (Connection c = DriverManager.getConnection(cluster.url())) {
                LockstepAdmin admin = c.unwrap(LockstepConnection.class).admin();
                assertThat(admin.verify().replicas()).hasSize(4);
                assertThat(admin.verify().consistent()).isTrue();

                String target = cluster.runningNodes().stream().map(n -> n.id())
                        .filter(id -> !id.equals(cluster.leader().id()) && !id.equals("n4")).findFirst().orElseThrow();
                admin.transferLeadership(target);
                Awaitility.await("leadership moves to " + target).atMost(Duration.ofSeconds(30))
                        .until(() -> cluster.leader().id().equals(target));
                Map<String, String> leaders = admin.status().stream().filter(LockstepAdmin.ReplicaStatus::answered)
                        .collect(Collectors.toMap(LockstepAdmin.ReplicaStatus::replica, r -> r.values().get("leader")));
                assertThat(leaders.values()).containsOnly(target);
                assertThat(admin.status().stream().map(r -> r.values().get("role")).filter("LEADER"::equals)).hasSize(1);

                admin.removeReplica("n4");
            }
            // The removed replica stops serving: reported as a removal (lockstep server then exits 0, not 70).
            assertThat(cluster.node("n4").stoppedServing().get(30, java.util.concurrent.TimeUnit.SECONDS).removed())
                    .isTrue();
            assertThat(cluster.runningNodes().stream().filter(n -> !n.id().equals("n4")))
                    .allMatch(n -> !n.stoppedServing().isDone());
            cluster.stopNode("n4");
            try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (1002, 'after remove')");
                List<LockstepAdmin.ReplicaStatus> status = c.unwrap(LockstepConnection.class).admin().status();
                assertThat(status).extracting(LockstepAdmin.ReplicaStatus::replica).containsExactlyInAnyOrder("n1", "n2", "n3");
                assertThat(status).allMatch(LockstepAdmin.ReplicaStatus::answered);
            }
            Replicas.assertConverged(cluster.runningNodes());
        }
    }
}
