package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.util.FileUtils;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.server.LockstepNode;

/**
 * Issue: "Load ~200k rows, snapshot, stop a follower, write ~50k more rows and snapshot again so the leader purges
 * the log the follower needs, restart the follower: it installs the snapshot, catches up, and its data equals the
 * leader's (checksums)."
 *
 * <p>Small requests (256 KiB) give 1 MiB log segments, so the second snapshot's purge really deletes the segments
 * holding the entries the stopped follower is missing; automatic snapshots are off so the two manual ones are the
 * only snapshots.
 */
class SnapshotInstallIT {
    private static final int MAX_REQUEST_BYTES = 256 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void restartedFollowerInstallsTheLeadersSnapshotAfterThePurge() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3,
                o -> o.withMaxRequestBytes(MAX_REQUEST_BYTES).withSnapshots(0, 2))) {
            String url = cluster.url("timeoutMs=30000");
            long firstSnapshot;
            try (Connection c = DriverManager.getConnection(url)) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TABLE items (id BIGINT PRIMARY KEY, k INT NOT NULL, v VARCHAR(64) NOT NULL)");
                }
                insertRows(c, 0, 200_000, 1000);
                firstSnapshot = c.unwrap(LockstepConnection.class).admin().snapshot(null);
            }
            LockstepNode leader = cluster.leader();
            assertThat(firstSnapshot).as("first snapshot index").isPositive();

            LockstepNode follower = cluster.runningNodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            String followerId = follower.id();
            // Stop it only once it has everything so far: then "what it needs" is exactly the log after this point.
            long leaderApplied = leader.stateMachine().store().appliedIndex().index();
            Awaitility.await(followerId + " applied everything so far").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> follower.stateMachine().store().appliedIndex().index() >= leaderApplied);
            long followerApplied = follower.stateMachine().store().appliedIndex().index();
            long followerLastLogIndex = raftLog(cluster, follower).getLastEntryTermIndex().getIndex();
            cluster.stopNode(followerId);

            long secondSnapshot;
            try (Connection c = DriverManager.getConnection(url)) {
                // 500-row batches: 100 entries, well over the purge gap (64), ~3.5 MB of log = several segments.
                insertRows(c, 200_000, 50_000, 500);
                secondSnapshot = c.unwrap(LockstepConnection.class).admin().snapshot(null);
            }
            assertThat(secondSnapshot).as("second snapshot index").isGreaterThan(followerLastLogIndex);
            LockstepNode leaderNow = cluster.leader();
            Awaitility.await("the leader purges its log past the stopped follower's position")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> raftLog(cluster, leaderNow).getStartIndex() > followerLastLogIndex);
            long leaderStart = raftLog(cluster, leaderNow).getStartIndex();
            assertThat(leaderStart).as("leader's log start vs the follower's applied index %d", followerApplied)
                    .isGreaterThan(followerApplied);

            cluster.startNode(followerId);
            // A write after the restart: the follower must install the snapshot, then apply the log after it.
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE items SET k = k + 1 WHERE id < 10");
            }
            List<LockstepNode> all = cluster.runningNodes();
            Replicas.assertConverged(all);

            // The restarted follower got the leader's snapshot (it never took one itself: auto snapshots are off)
            List<StoreQueries.SnapshotName> installed = StoreQueries.snapshotFiles(cluster.snapshotDir(followerId));
            assertThat(installed).as("snapshot files on %s after the restart", followerId).isNotEmpty();
            assertThat(installed.get(installed.size() - 1).index()).as("installed snapshot index").isEqualTo(secondSnapshot);
            assertThat(installed.get(installed.size() - 1).file().resolveSibling(
                    installed.get(installed.size() - 1).file().getFileName() + ".md5")).exists();

            for (LockstepNode n : all) {
                assertThat(StoreQueries.scalar(n.stateMachine().store(), "SELECT COUNT(*) FROM items"))
                        .as("rows on %s", n.id()).isEqualTo(250_000);
                assertThat(StoreQueries.scalar(n.stateMachine().store(), "SELECT SUM(k) FROM items"))
                        .as("sum on %s", n.id()).isEqualTo(expectedSumOfK(250_000) + 10);
            }

            wipedFollowerCatchesUpWithoutALeaderChange(cluster, url, followerId);
        }
    }

    /**
     * A follower whose whole data directory is lost (disk replaced) and that restarts empty must get the leader's
     * snapshot from the leader it finds, within a few heartbeats, not only after some later leader change.
     */
    private static void wipedFollowerCatchesUpWithoutALeaderChange(TestCluster cluster, String url, String followerId)
            throws Exception {
        LockstepNode leader = cluster.leader();
        long term = leader.raftServer().getDivision(cluster.groupId()).getInfo().getCurrentTerm();
        Path data = cluster.options(followerId).dataDir();
        cluster.stopNode(followerId);
        FileUtils.deleteFully(data);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE items SET k = k + 1 WHERE id < 10");
        }
        long leaderApplied = leader.stateMachine().store().appliedIndex().index();
        long t0 = System.nanoTime();
        LockstepNode wiped = cluster.startNode(followerId);
        Awaitility.await(followerId + " (wiped) caught up").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions() // its store is closed while it installs
                .until(() -> wiped.stateMachine().store().appliedIndex().index() >= leaderApplied);
        System.out.printf("TIMING wiped follower caught up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(cluster.leader()).as("leader").isSameAs(leader);
        assertThat(leader.raftServer().getDivision(cluster.groupId()).getInfo().getCurrentTerm()).as("term")
                .isEqualTo(term);
        Replicas.assertConverged(cluster.runningNodes());
    }

    private static RaftLog raftLog(TestCluster cluster, LockstepNode node) throws java.io.IOException {
        return node.raftServer().getDivision(cluster.groupId()).getRaftLog();
    }

    private static void insertRows(Connection c, long from, int count, int batchRows) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO items (id, k, v) VALUES (?, ?, ?)")) {
            for (long id = from; id < from + count; ) {
                for (int i = 0; i < batchRows && id < from + count; i++, id++) {
                    p.setLong(1, id);
                    p.setInt(2, (int) (id % 1000));
                    p.setString(3, "v" + id + "-abcdefghij");
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
    }

    private static long expectedSumOfK(long rows) {
        long sum = 0;
        for (long id = 0; id < rows; id++) {
            sum += id % 1000;
        }
        return sum;
    }
}
