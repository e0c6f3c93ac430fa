package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.server.ServingWatch;

/**
 * A replica frozen longer than the close threshold (here SIGSTOP of the leader's JVM) is closed by Ratis when it
 * wakes up; its process must then exit with a non-zero status so that a supervisor restarts it, while the other
 * replicas keep serving.
 */
class PauseExitIT {
    private static final long CLOSE_THRESHOLD_MILLIS = 3_000;

    @TempDir
    Path dir;

    @Test
    void aLeaderPausedLongerThanTheThresholdExitsNonZeroAndTheClusterServes() throws Exception {
        Map<String, List<String>> jvms = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            jvms.put(id, List.of());
        }
        try (ProcessCluster cluster = ProcessCluster.start(dir, jvms,
                List.of("--close-threshold-ms", Long.toString(CLOSE_THRESHOLD_MILLIS)))) {
            String leaderId;
            try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
                s.executeUpdate("INSERT INTO t VALUES (1), (2), (3)");
                leaderId = leaderOf(c);
            }
            ProcessNode leader = cluster.nodes().stream().filter(n -> n.id().equals(leaderId)).findFirst().orElseThrow();
            List<ProcessNode> others = cluster.nodes().stream().filter(n -> n != leader).toList();

            leader.signal("STOP");
            try {
                // Frozen for well over the threshold: until the others elected a new leader, and at least 2x it.
                Awaitility.await("another replica leads").pollDelay(Duration.ofMillis(2 * CLOSE_THRESHOLD_MILLIS))
                        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> {
                            try (Connection c = DriverManager.getConnection(urlOf(others))) {
                                String now = leaderOf(c);
                                return now != null && !now.equals(leaderId);
                            }
                        });
            } finally {
                leader.signal("CONT");
            }

            Awaitility.await("the woken replica's process exits").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).until(() -> !leader.isAlive());
            assertThat(leader.exitValue()).as(leader.output()).isEqualTo(ServingWatch.EXIT_STOPPED_SERVING);
            assertThat(leader.output()).contains("longer than the close-threshold").contains("stopped serving");
            leader.output().lines().filter(l -> l.contains("JVM pause detected") || l.contains("stopped serving"))
                    .forEach(l -> System.out.println("PauseExitIT " + leader.id() + ": " + l));

            // The two others serve reads and writes, with every acknowledged row.
            try (Connection c = DriverManager.getConnection(urlOf(others)); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (4)");
                try (var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(4);
                }
            }
            assertThat(others).allMatch(ProcessNode::isAlive);
        }
    }

    /** The replica that reports itself LEADER, or null. */
    private static String leaderOf(Connection c) throws Exception {
        for (LockstepAdmin.ReplicaStatus r : c.unwrap(LockstepConnection.class).admin().status()) {
            if (r.answered() && "LEADER".equals(r.values().get("role"))) {
                return r.replica();
            }
        }
        return null;
    }

    /**
     * A URL listing only {@code nodes} (a frozen replica would hold up discovery until its connect timeout), with
     * a short request timeout: a status request to the frozen replica gives up quickly.
     */
    private static String urlOf(List<ProcessNode> nodes) {
        return "jdbc:lockstep://" + String.join(",", nodes.stream().map(ProcessNode::address).toList())
                + "?timeoutMs=3000";
    }
}
