package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import java.util.concurrent.TimeUnit;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.protocol.MessageCodec;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.server.LockstepNode;

/**
 * Issue: "Add a fresh, empty replica to a loaded cluster: it catches up via snapshot and then serves reads."
 *
 * <p>The leader's log is purged up to its snapshot, so the new replica cannot catch up from the log alone: it must
 * install the snapshot, then apply the entries written after it. Requests of at most 256 KiB make 1 MiB log
 * segments, so that the ~2 MB of log the load writes spans closed segments that the snapshot purges.
 */
class AddReplicaIT {
    private static final int LOADED_ROWS = 50_000;
    private static final int LATER_ROWS = 20;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void freshReplicaCatchesUpViaSnapshotAndServesReads() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3,
                o -> o.withMaxRequestBytes(256 * 1024).withSnapshots(0, 2))) {
            String url = cluster.url("timeoutMs=30000");
            long snapshotIndex;
            try (Connection c = DriverManager.getConnection(url)) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TABLE items (id BIGINT PRIMARY KEY, v VARCHAR(40) NOT NULL)");
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
                    for (int id = 0; id < LOADED_ROWS; ) {
                        for (int i = 0; i < 1000; i++, id++) {
                            p.setLong(1, id);
                            p.setString(2, "item-" + id);
                            p.addBatch();
                        }
                        p.executeBatch();
                    }
                }
                snapshotIndex = c.unwrap(LockstepConnection.class).admin().snapshot(null);
                // Keep writing a bit: these entries are only in the log, after the snapshot.
                try (PreparedStatement p = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
                    for (int id = LOADED_ROWS; id < LOADED_ROWS + LATER_ROWS; id++) {
                        p.setLong(1, id);
                        p.setString(2, "later-" + id);
                        p.executeUpdate();
                    }
                }
            }
            LockstepNode leader = cluster.leader();
            // Ratis purges in the background once the snapshot is registered: on a loaded machine, a moment later
            Awaitility.await("the leader's log is purged up to its snapshot at " + snapshotIndex)
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> leader.raftServer().getDivision(cluster.groupId()).getRaftLog().getStartIndex() > 1);

            LockstepNode n4 = cluster.addReplica("n4");
            List<LockstepNode> all = cluster.runningNodes();
            assertThat(all).extracting(LockstepNode::id).containsExactly("n1", "n2", "n3", "n4");
            Awaitility.await("n4 applies the entries written after the snapshot").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> n4.stateMachine().store() != null
                            && n4.stateMachine().store().appliedIndex().index()
                            >= leader.stateMachine().store().appliedIndex().index());
            Replicas.assertConverged(all);

            // It came through the snapshot: its sm/ holds the leader's snapshot file (it took none of its own).
            List<StoreQueries.SnapshotName> installed = StoreQueries.snapshotFiles(cluster.snapshotDir("n4"));
            assertThat(installed).as("snapshot files on n4").extracting(StoreQueries.SnapshotName::index)
                    .contains(snapshotIndex);

            // Through the cluster: the configuration has four voters and all four agree.
            try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=30000"))) {
                LockstepAdmin.VerifyReport report = c.unwrap(LockstepConnection.class).admin().verify();
                assertThat(report.replicas()).extracting(LockstepAdmin.ReplicaChecksum::replica)
                        .containsExactlyInAnyOrder("n1", "n2", "n3", "n4");
                assertThat(report.consistent()).as("%s", report).isTrue();
            }

            // n4 serves reads: from its own store, and through JDBC when it is the only address given.
            assertThat(StoreQueries.scalar(n4.stateMachine().store(), "SELECT COUNT(*) FROM items"))
                    .isEqualTo(LOADED_ROWS + LATER_ROWS);
            assertThat(StoreQueries.scalar(n4.stateMachine().store(), "SELECT COUNT(*) FROM items WHERE v LIKE 'later-%'"))
                    .isEqualTo(LATER_ROWS);
            // ...and over the network: a read addressed to n4 itself (Ratis does not redirect it), both a
            // linearizable ReadIndex read served by n4 and a stale read at n4's own applied state.
            try (RaftClient client = RaftClient.newBuilder().setProperties(new RaftProperties())
                    .setRaftGroup(RaftGroup.valueOf(cluster.groupId(), cluster.peers().toRaftPeers()))
                    .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(10,
                            TimeDuration.valueOf(300, TimeUnit.MILLISECONDS)))
                    .build()) {
                Message query = Message.valueOf(ByteString.copyFrom(MessageCodec.encode(
                        new QueryRequest("SELECT COUNT(*) FROM items", List.of(), 0))));
                RaftPeerId n4Id = RaftPeerId.valueOf("n4");
                for (RaftClientReply reply : List.of(client.io().sendReadOnly(query, n4Id),
                        client.io().sendStaleRead(query, 0, n4Id))) {
                    assertThat(reply.isSuccess()).as("%s", reply).isTrue();
                    assertThat(reply.getServerId()).isEqualTo(n4Id);
                    Reply decoded = MessageCodec.decodeReply(reply.getMessage().getContent().toByteArray());
                    assertThat(decoded).isInstanceOf(QueryResult.class);
                    assertThat(((Number) ((QueryResult) decoded).data().rows().get(0).get(0).value()).longValue())
                            .isEqualTo(LOADED_ROWS + LATER_ROWS);
                }
            }
        }
    }
}
