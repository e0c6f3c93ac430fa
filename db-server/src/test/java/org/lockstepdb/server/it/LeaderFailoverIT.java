package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.server.LockstepNode;

/**
 * Issue 2, test 2: a writer keeps inserting while the leader is stopped. Writes resume on the new leader
 * without reconnecting; every acknowledged row is on every running replica exactly once; the stopped node
 * comes back and catches up.
 */
class LeaderFailoverIT {
    @TempDir
    Path dir;

    @Test
    void writesSurviveLeaderLossWithoutLossOrDuplication() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=30000"));
                 Statement s = c.createStatement()) {
                // No primary key on purpose: a write applied twice would show up as a duplicate row.
                s.executeUpdate("CREATE TABLE events (seq BIGINT NOT NULL, payload VARCHAR(40))");
            }
            ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>();
            List<SQLException> failures = new ArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong attempted = new AtomicLong();
            Thread writer = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=30000"));
                     PreparedStatement p = c.prepareStatement("INSERT INTO events VALUES (?, ?)")) {
                    for (long seq = 0; running.get(); seq++) {
                        attempted.incrementAndGet();
                        p.setLong(1, seq);
                        p.setString(2, "row-" + seq);
                        try {
                            p.executeUpdate();
                            acknowledged.add(seq);
                        } catch (SQLException e) {
                            synchronized (failures) {
                                failures.add(e); // not acknowledged: may or may not be present, never twice
                            }
                        }
                    }
                } catch (SQLException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "writer");
            writer.start();

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 200);
            LockstepNode oldLeader = cluster.leader();
            long ackedBeforeStop = acknowledged.size();
            cluster.stopNode(oldLeader.id());

            Awaitility.await("writes resume after re-election").atMost(Duration.ofSeconds(60))
                    .until(() -> acknowledged.size() >= ackedBeforeStop + 200);
            running.set(false);
            writer.join(60_000);
            assertThat(writer.isAlive()).isFalse();
            assertThat(cluster.leader().id()).isNotEqualTo(oldLeader.id());

            Set<Long> present = new HashSet<>();
            try (Connection c = DriverManager.getConnection(cluster.url());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT seq, COUNT(*) FROM events GROUP BY seq")) {
                while (rs.next()) {
                    assertThat(rs.getLong(2)).as("copies of seq %d", rs.getLong(1)).isEqualTo(1);
                    present.add(rs.getLong(1));
                }
            }
            assertThat(present).containsAll(acknowledged);
            // The driver rides out the election within its timeout: no write may fail.
            assertThat(failures).as("failed writes of %d", attempted.get()).isEmpty();
            Replicas.assertConverged(cluster.runningNodes());

            cluster.startNode(oldLeader.id());
            Replicas.assertConverged(cluster.runningNodes());
            assertThat(cluster.runningNodes()).hasSize(3);
        }
    }
}
