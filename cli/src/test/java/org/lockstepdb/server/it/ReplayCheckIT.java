package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.server.LockstepNode;
import org.lockstepdb.server.NodeOptions;
import org.lockstepdb.cli.LockstepCli;
import org.lockstepdb.storage.SqlStore;

/**
 * Replay is checked, not assumed: a replica whose database does not belong to its Raft group or log refuses to
 * start (clear error, non-zero exit) instead of skipping the log's entries as "already applied".
 */
class ReplayCheckIT {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A one-replica cluster with table t holding 3 rows, stopped cleanly; returns the replica's options. */
    private NodeOptions replicaWithData() throws Exception {
        cluster = TestCluster.start(dir, 1);
        try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t(id INT PRIMARY KEY)");
            s.executeUpdate("INSERT INTO t VALUES 1, 2, 3");
            s.executeUpdate("INSERT INTO t VALUES 4");
        }
        NodeOptions options = cluster.options("n1");
        cluster.close();
        return options;
    }

    private static NodeOptions underCluster(NodeOptions o, String clusterName) {
        return new NodeOptions(o.id(), o.dataDir(), o.peers(), clusterName, o.maxRequestBytes(),
                o.rpcTimeoutMinMillis(), o.rpcTimeoutMaxMillis(), o.staleReadWaitMillis(),
                o.snapshotIntervalEntries(), o.snapshotsRetained());
    }

    @Test
    void aDatabaseOfAnotherGroupIsRefusedAndTheServerExitsNonZero() throws Exception {
        NodeOptions options = replicaWithData();
        NodeOptions wrong = underCluster(options, "another-cluster");
        assertThatThrownBy(() -> LockstepNode.start(wrong))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("holds the Raft log of group " + cluster.groupId().getUuid())
                .hasMessageContaining("refusing to start");
        int exit = LockstepCli.execute("server", "--id", "n1", "--data", options.dataDir().toString(),
                "--peers", options.peers().toString(), "--cluster", "another-cluster");
        assertThat(exit).as("exit status of `lockstep server` with the wrong --cluster").isNotZero();

        // Without its Raft directory the database itself still knows its group: moved aside, not deleted
        Path raftAside = dir.resolve("raft-aside");
        Files.move(options.raftDir(), raftAside);
        // (Ratis wraps what initialize throws in its own lifecycle errors: the cause is in the trace)
        assertThatThrownBy(() -> LockstepNode.start(wrong))
                .hasStackTraceContaining("holds the log of Raft group " + cluster.groupId().getUuid())
                .hasStackTraceContaining("refusing to start");
        deleteRecursively(options.raftDir()); // what the refused start created for the other group
        Files.move(raftAside, options.raftDir());
        // untouched: it still starts under its own group, with its data
        try (LockstepNode node = LockstepNode.start(options)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                    () -> node.stateMachine().store().appliedIndex().index() >= 3);
            assertThat(StoreQueries.scalar(node.stateMachine().store(), "SELECT COUNT(*) FROM t")).isEqualTo(4);
        }
    }

    @Test
    void aDatabaseAheadOfItsRaftLogIsRefusedInsteadOfSkippingTheNewLog() throws Exception {
        NodeOptions options = replicaWithData();
        long applied;
        try (SqlStore store = SqlStore.open(options.databaseDir())) {
            applied = store.appliedIndex().index();
        }
        assertThat(applied).isPositive();
        // the Raft log (and snapshots) are lost; the database says it applied entries the new log does not hold
        deleteRecursively(options.raftDir());
        assertThatThrownBy(() -> LockstepNode.start(options))
                .hasStackTraceContaining("refusing to replay the Raft log into this database")
                .hasStackTraceContaining("up to entry " + applied);
        try (SqlStore store = SqlStore.open(options.databaseDir())) {
            assertThat(store.appliedIndex().index()).as("nothing was applied").isEqualTo(applied);
            assertThat(StoreQueries.scalar(store, "SELECT COUNT(*) FROM t")).isEqualTo(4);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
