package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.server.LockstepNode;
import org.lockstepdb.storage.OfflineRestore;
import org.lockstepdb.storage.SnapshotFile;
import org.lockstepdb.storage.SnapshotHeader;
import org.lockstepdb.storage.SqlStore;

/**
 * Issues: "Backup from a loaded 3-replica cluster under concurrent writes, restore into a fresh 3-replica cluster:
 * equal checksums and row counts; the backup's recorded index matches." and "Restore of a truncated file and of a
 * file with one flipped byte: rejected, data unchanged on every replica".
 */
class BackupRestoreIT {
    /** With a poorly compressible 64-character value per row the backup is > 1 MiB: the restore takes several chunks. */
    private static final int LOADED_ROWS = 40_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** One acknowledged insert: its id and the log index the cluster acknowledged it at. */
    private record Ack(long id, long index) {
    }

    @Test
    void backupUnderWritesRestoresIntoAFreshClusterExactlyAtItsIndex() throws Exception {
        Path backup = dir.resolve("backup.lsnap");
        LockstepAdmin.BackupInfo info;
        List<Ack> acks;
        try (TestCluster source = TestCluster.start(dir.resolve("source"), 3)) {
            String url = source.url("timeoutMs=30000");
            load(url);
            ConcurrentLinkedQueue<Ack> acknowledged = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url);
                     PreparedStatement p = c.prepareStatement("INSERT INTO items (id, v) VALUES (?, ?)")) {
                    LockstepConnection lc = c.unwrap(LockstepConnection.class);
                    for (long id = LOADED_ROWS; running.get() && id < LOADED_ROWS + 20_000; id++) {
                        p.setLong(1, id);
                        p.setString(2, "live-" + id);
                        try {
                            p.executeUpdate();
                            acknowledged.add(new Ack(id, lc.lastWriteIndex()));
                        } catch (SQLException e) {
                            failures.add(e);
                        }
                    }
                } catch (SQLException e) {
                    failures.add(e);
                }
            }, "writer");
            writer.start();
            try {
                Awaitility.await("the writer is going").atMost(Duration.ofSeconds(30))
                        .until(() -> acknowledged.size() >= 100);
                try (Connection c = DriverManager.getConnection(url)) {
                    info = c.unwrap(LockstepConnection.class).admin().backup(backup, null);
                }
                long ackedAtBackup = acknowledged.size();
                Awaitility.await("the writer keeps going after the backup").atMost(Duration.ofSeconds(30))
                        .until(() -> acknowledged.size() >= ackedAtBackup + 50);
            } finally {
                running.set(false);
                writer.join(60_000);
            }
            assertThat(writer.isAlive()).isFalse();
            assertThat(failures).as("failed writes").isEmpty();
            acks = new ArrayList<>(acknowledged);
            assertThat(acks).as("writes acknowledged after the backup's index")
                    .anyMatch(a -> a.index() > info.index());
            assertThat(acks).as("writes acknowledged before the backup's index")
                    .anyMatch(a -> a.index() <= info.index());
            assertThat(info.replica()).as("a follower wrote it").isNotEqualTo(source.leader().id());
        }

        // The file is intact and holds the index the backup reported.
        SnapshotHeader header = SnapshotFile.verify(backup);
        assertThat(header.index()).isEqualTo(info.index());
        assertThat(header.sizeBytes()).isEqualTo(info.sizeBytes()).isEqualTo(Files.size(backup));
        assertThat(header.sha256hex()).isEqualTo(info.sha256());
        assertThat(info.sizeBytes()).as("more than one restore chunk").isGreaterThan(LockstepAdmin.CHUNK_BYTES);
        long expectedRows = LOADED_ROWS + acks.stream().filter(a -> a.index() <= info.index()).count();

        // The reference: the same file restored locally into a plain store.
        String expectedChecksum;
        Path local = dir.resolve("local-restore");
        OfflineRestore.restoreFrom(local, backup);
        try (SqlStore store = SqlStore.open(local)) {
            expectedChecksum = store.checksums().consistentChecksum().hex();
            assertThat(StoreQueries.scalar(store, "SELECT COUNT(*) FROM items")).isEqualTo(expectedRows);
        }

        try (TestCluster target = TestCluster.start(dir.resolve("target"), 3)) {
            String url = target.url("timeoutMs=30000");
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                // Something to overwrite: the restore replaces the whole database.
                s.executeUpdate("CREATE TABLE scratch (x INT)");
                s.executeUpdate("INSERT INTO scratch VALUES (1)");
                LockstepAdmin admin = c.unwrap(LockstepConnection.class).admin();
                long restoredAt = admin.restore(backup);
                assertThat(restoredAt).isPositive();

                LockstepAdmin.VerifyReport report = admin.verify();
                assertThat(report.replicas()).hasSize(3);
                assertThat(report.consistent()).as("%s", report).isTrue();
                assertThat(report.replicas().get(0).checksum()).as("restored cluster vs local restore")
                        .isEqualTo(expectedChecksum);
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM items")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).as("rows = load + writes acknowledged at or below index %d", info.index())
                            .isEqualTo(expectedRows);
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'SCRATCH'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).as("the target's own table is gone").isZero();
                }
            }
            List<LockstepNode> nodes = target.runningNodes();
            assertThat(Replicas.assertConverged(nodes)).isEqualTo(expectedChecksum);
            for (LockstepNode n : nodes) {
                assertThat(StoreQueries.scalar(n.stateMachine().store(), "SELECT COUNT(*) FROM items"))
                        .as("rows on %s", n.id()).isEqualTo(expectedRows);
                // Exactly the acknowledged prefix: every write at or below the index, none above it.
                for (Ack a : acks) {
                    if (a.id() % 25 == 0 || Math.abs(a.index() - info.index()) <= 3) {
                        assertThat(StoreQueries.scalar(n.stateMachine().store(),
                                "SELECT COUNT(*) FROM items WHERE id = " + a.id()))
                                .as("row %d (acknowledged at %d, backup at %d) on %s", a.id(), a.index(), info.index(), n.id())
                                .isEqualTo(a.index() <= info.index() ? 1 : 0);
                    }
                }
            }
        }
    }

    @Test
    void truncatedOrCorruptBackupIsRejectedAndChangesNothing() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir.resolve("cluster"), 3)) {
            String url = cluster.url("timeoutMs=30000");
            load(url);
            Path backup = dir.resolve("good.lsnap");
            try (Connection c = DriverManager.getConnection(url)) {
                c.unwrap(LockstepConnection.class).admin().backup(backup, null);
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM items WHERE id < 100"); // the live data now differs from the backup
                }
            }
            byte[] good = Files.readAllBytes(backup);
            assertThat(good.length).as("backup size: several chunks").isGreaterThan(LockstepAdmin.CHUNK_BYTES);

            Path truncated = dir.resolve("truncated.lsnap");
            Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 1000));
            Path flipped = dir.resolve("flipped.lsnap");
            byte[] bad = good.clone();
            int middle = 48 + (good.length - 96) / 2; // inside the payload (48-byte header, 48-byte trailer)
            bad[middle] ^= (byte) 0x5A;
            Files.write(flipped, bad);

            String before = Replicas.assertConverged(cluster.runningNodes());
            try (Connection c = DriverManager.getConnection(url)) {
                LockstepAdmin admin = c.unwrap(LockstepConnection.class).admin();
                assertThatThrownBy(() -> admin.restore(truncated)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("restore refused")
                        .hasMessageContaining("truncated");
                assertThat(Replicas.assertConverged(cluster.runningNodes())).as("after the truncated file").isEqualTo(before);

                assertThatThrownBy(() -> admin.restore(flipped)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("restore refused")
                        .hasMessageContaining("checksum mismatch");
                assertThat(Replicas.assertConverged(cluster.runningNodes())).as("after the flipped byte").isEqualTo(before);

                for (LockstepNode n : cluster.runningNodes()) {
                    assertThat(StoreQueries.scalar(n.stateMachine().store(), "SELECT COUNT(*) FROM items"))
                            .as("rows on %s", n.id()).isEqualTo(LOADED_ROWS - 100);
                    assertThat(n.stateMachine().store().restores().staged()).as("staged restores left on %s", n.id()).isEmpty();
                }
                // The cluster keeps serving writes (and snapshots: no restore is left staged).
                try (Statement s = c.createStatement()) {
                    assertThat(s.executeUpdate("INSERT INTO items (id, v) VALUES (-1, 'after')")).isEqualTo(1);
                }
                assertThat(admin.snapshot(null)).isPositive();
                assertThat(admin.verify().consistent()).isTrue();
            }
            Replicas.assertConverged(cluster.runningNodes());
        }
    }

    private static String hex(long id) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Long.toString(id).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void load(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE items (id BIGINT PRIMARY KEY, v VARCHAR(80) NOT NULL)");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO items (id, v) VALUES (?, ?)")) {
                for (int id = 0; id < LOADED_ROWS; ) {
                    for (int i = 0; i < 1000; i++, id++) {
                        p.setLong(1, id);
                        p.setString(2, hex(id));
                        p.addBatch();
                    }
                    p.executeBatch();
                }
            }
        }
    }
}
