package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepConnection;

/**
 * Issue 3: a snapshot file whose checksum does not match is refused with a clear message and never loaded;
 * once the operator removes it, the replica catches up from the leader and matches the others.
 */
class CorruptSnapshotIT {
    @TempDir
    Path dir;

    @Test
    void aCorruptSnapshotIsRefusedAndNeverLoaded() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, o -> o.withSnapshots(0, 2))) {
            String follower;
            try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))");
                s.executeUpdate("INSERT INTO t SELECT X, 'row ' || X FROM SYSTEM_RANGE(1, 5000)");
                follower = cluster.runningNodes().stream().map(n -> n.id())
                        .filter(id -> !id.equals(cluster.leader().id())).findFirst().orElseThrow();
                c.unwrap(LockstepConnection.class).admin().snapshot(follower);
            }
            Replicas.assertConverged(cluster.runningNodes());
            cluster.stopNode(follower);

            List<StoreQueries.SnapshotName> snapshots = StoreQueries.snapshotFiles(cluster.snapshotDir(follower));
            assertThat(snapshots).isNotEmpty();
            Path file = snapshots.get(snapshots.size() - 1).file();
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                long middle = f.length() / 2;
                f.seek(middle);
                int b = f.read();
                f.seek(middle);
                f.write(b ^ 0x01);
            }
            // Also make its database need the snapshot: as after a crash.
            Files.delete(dir.resolve(follower).resolve("db").resolve("CLEAN_SHUTDOWN"));

            assertThatThrownBy(() -> cluster.startNode(follower))
                    .hasStackTraceContaining("refusing corrupt snapshot")
                    .hasStackTraceContaining("checksum mismatch");

            // The operator removes the bad file; the replica then catches up from the leader.
            Files.delete(file);
            Files.deleteIfExists(Path.of(file + ".md5"));
            cluster.startNode(follower);
            try (Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (5001, 'after')");
            }
            Replicas.assertConverged(cluster.runningNodes());
            assertThat(StoreQueries.scalar(cluster.node(follower).stateMachine().store(), "SELECT COUNT(*) FROM t"))
                    .isEqualTo(5001);
        }
    }
}
