package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.scalar;
import static org.lockstepdb.storage.Entries.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.WriteResult;

class RestoreThroughLogTest {
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private Path backup;
    private Checksum backupChecksum;
    private byte[] backupBytes;

    @BeforeEach
    void makeBackup() throws Exception {
        backup = dir.resolve("backup.lsdb");
        try (SqlStore source = SqlStore.open(dir.resolve("source"))) {
            long index = SnapshotExportTest.createSchema(source, 0);
            for (int i = 0; i < 4; i++) {
                index = SnapshotExportTest.addRows(source, index, 1 + i * 5_000, 5_000);
            }
            backupChecksum = source.checksums().consistentChecksum();
            try (SnapshotExport export = SnapshotExport.begin(source)) {
                export.writeTo(backup);
            }
        }
        backupBytes = Files.readAllBytes(backup);
        assertThat(backupBytes.length).isGreaterThan(3 * CHUNK); // several chunks
    }

    /** A replica with other data, at applied index 2. */
    private SqlStore otherReplica(Path d) throws IOException {
        SqlStore store = SqlStore.open(d);
        ok(store.apply(3, 1, write("CREATE TABLE mine(id INT PRIMARY KEY)")));
        ok(store.apply(3, 2, write("INSERT INTO mine VALUES 1, 2, 3")));
        return store;
    }

    /** Stages bytes in 64 KB chunks from log index {@code index + 1}; returns the last index used. */
    private static long stage(SqlStore store, long index, String id, byte[] bytes) {
        for (int off = 0; off < bytes.length; off += CHUNK) {
            byte[] chunk = Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + CHUNK));
            Reply r = store.restores().stageChunk(3, ++index, id, off, chunk).orElseThrow();
            assertThat(ok(r).results().get(0).updateCounts()).containsExactly((long) off + chunk.length);
        }
        return index;
    }

    @Test
    void stagedChunksWithReplayedDuplicatesRestoreAtTheCommitIndex() throws Exception {
        Path d = dir.resolve("replica");
        try (SqlStore store = otherReplica(d)) {
            String before = store.checksums().checksum();
            long index = 2;
            // first half, then a client retry resends chunks 0 and 1 (same offsets), then the rest
            byte[] firstHalf = Arrays.copyOf(backupBytes, 2 * CHUNK);
            index = stage(store, index, "r1", firstHalf);
            ok(store.restores().stageChunk(3, ++index, "r1", 0, Arrays.copyOf(backupBytes, CHUNK)));
            ok(store.restores().stageChunk(3, ++index, "r1", CHUNK, Arrays.copyOfRange(backupBytes, CHUNK, 2 * CHUNK)));
            // the log replays an entry already applied: skipped
            assertThat(store.restores().stageChunk(3, index, "r1", CHUNK, new byte[] {1, 2, 3})).isEmpty();
            // a gap is refused
            Reply gap = store.restores().stageChunk(3, ++index, "r1", 5 * CHUNK, new byte[10]).orElseThrow();
            assertThat(gap).isInstanceOf(ErrorReply.class);
            assertThat(((ErrorReply) gap).message()).contains("gap");
            for (int off = 2 * CHUNK; off < backupBytes.length; off += CHUNK) {
                ok(store.restores().stageChunk(3, ++index, "r1", off,
                        Arrays.copyOfRange(backupBytes, off, Math.min(backupBytes.length, off + CHUNK))));
            }
            assertThat(store.restores().staged()).singleElement()
                    .satisfies(s -> assertThat(s.stagedBytes()).isEqualTo(backupBytes.length));
            assertThatThrownBy(() -> SnapshotExport.begin(store)).isInstanceOf(IOException.class).hasMessageContaining("staged");
            assertThat(store.checksums().checksum()).isEqualTo(before); // staging changes no user data
            String sha = SnapshotFile.verify(backup).sha256hex();
            long commitIndex = ++index;
            Reply r = store.restores().commit(4, commitIndex, "r1", sha).orElseThrow();
            assertThat(r).isInstanceOf(WriteResult.class);
            assertThat(store.restores().commit(4, commitIndex, "r1", sha)).isEmpty(); // replay
            assertThat(store.appliedIndex()).isEqualTo(new AppliedIndex(4, commitIndex));
            assertThat(store.checksums().consistentChecksum().hex()).isEqualTo(backupChecksum.hex());
            assertThat(store.restores().staged()).isEmpty();
            assertThat(d.resolve(RestoreStaging.DIR)).doesNotExist();
            // the store stays usable
            ok(store.apply(4, commitIndex + 1, write("INSERT INTO t(v) VALUES ('after restore')")));
            assertThat(scalar(store, "SELECT COUNT(*) FROM t WHERE v = 'after restore'")).isEqualTo(1L);
            assertThat(scalar(store, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'MINE'"))
                    .isEqualTo(0L);
            try (SnapshotExport e = SnapshotExport.begin(store)) {
                assertThat(e.appliedIndex().index()).isEqualTo(commitIndex + 1);
            }
        }
        try (SqlStore store = SqlStore.open(d)) {
            assertThat(store.recoveredFromCrash()).isFalse();
            assertThat(store.appliedIndex().index()).isGreaterThan(2);
            assertThat(scalar(store, "SELECT COUNT(*) FROM t")).isEqualTo(20_001L);
        }
    }

    @Test
    void aCorruptOrMismatchedStagedBackupIsRefusedAndChangesNothing() throws Exception {
        try (SqlStore store = otherReplica(dir.resolve("replica"))) {
            String before = store.checksums().checksum();
            byte[] corrupt = backupBytes.clone();
            corrupt[corrupt.length / 2] ^= 0x10;
            long index = stage(store, 2, "bad", corrupt);
            Reply r = store.restores().commit(3, ++index, "bad", null).orElseThrow();
            assertThat(r).isInstanceOf(ErrorReply.class);
            assertThat(((ErrorReply) r).message()).contains("checksum mismatch").contains("not changed");
            assertThat(store.appliedIndex().index()).isEqualTo(index);
            assertThat(store.checksums().checksum()).isEqualTo(before);
            assertThat(scalar(store, "SELECT COUNT(*) FROM mine")).isEqualTo(3L);
            assertThat(store.restores().staged()).isEmpty();

            // truncated upload
            index = stage(store, index, "short", Arrays.copyOf(backupBytes, backupBytes.length - 100));
            r = store.restores().commit(3, ++index, "short", null).orElseThrow();
            assertThat(((ErrorReply) r).message()).contains("truncated");

            // intact file but the client expected another one
            index = stage(store, index, "sha", backupBytes);
            r = store.restores().commit(3, ++index, "sha", "00".repeat(32)).orElseThrow();
            assertThat(((ErrorReply) r).message()).contains("SHA-256");

            // unknown id
            r = store.restores().commit(3, ++index, "nothing", null).orElseThrow();
            assertThat(r).isInstanceOf(ErrorReply.class);
            assertThat(store.checksums().checksum()).isEqualTo(before);
            ok(store.apply(3, ++index, write("INSERT INTO mine VALUES 4")));
        }
    }

    @Test
    void stagingIsExactlyOnceAcrossAnUncommittedWriteAndACleanRestart() throws Exception {
        Path d = dir.resolve("replica");
        long index;
        try (SqlStore store = otherReplica(d)) {
            index = stage(store, 2, "r", Arrays.copyOf(backupBytes, 3 * CHUNK));
        }
        // a chunk was written to the file but its entry never committed (crash between the two)
        Files.write(d.resolve(RestoreStaging.DIR).resolve("r.part"), new byte[777], java.nio.file.StandardOpenOption.APPEND);
        try (SqlStore store = SqlStore.open(d)) {
            assertThat(store.restores().staged()).singleElement()
                    .satisfies(s -> assertThat(s.stagedBytes()).isEqualTo(3L * CHUNK));
            for (int off = 3 * CHUNK; off < backupBytes.length; off += CHUNK) {
                ok(store.restores().stageChunk(3, ++index, "r", off,
                        Arrays.copyOfRange(backupBytes, off, Math.min(backupBytes.length, off + CHUNK))));
            }
            assertThat(Files.readAllBytes(d.resolve(RestoreStaging.DIR).resolve("r.part"))).isEqualTo(backupBytes);
            ok(store.restores().commit(3, ++index, "r", null));
            assertThat(store.checksums().checksum()).isEqualTo(backupChecksum.hex());
        }
    }

    @Test
    void abortForgetsTheStagingAndOrphanFilesAreRemoved() throws Exception {
        Path d = dir.resolve("replica");
        try (SqlStore store = otherReplica(d)) {
            long index = stage(store, 2, "a", Arrays.copyOf(backupBytes, 2 * CHUNK));
            index = stage(store, index, "b", Arrays.copyOf(backupBytes, CHUNK));
            ok(store.restores().abort(3, ++index, "a"));
            assertThat(store.restores().staged()).extracting(StagedRestore::restoreId).containsExactly("b");
            assertThat(d.resolve(RestoreStaging.DIR).resolve("a.part")).doesNotExist();
            ok(store.restores().abort(3, ++index, null));
            assertThat(store.restores().staged()).isEmpty();
            try (SnapshotExport e = SnapshotExport.begin(store)) { // allowed again
                assertThat(e.appliedIndex().index()).isEqualTo(index);
            }
        }
        Files.createDirectories(d.resolve(RestoreStaging.DIR));
        Files.write(d.resolve(RestoreStaging.DIR).resolve("stale.part"), new byte[10]);
        try (SqlStore store = SqlStore.open(d)) {
            assertThat(d.resolve(RestoreStaging.DIR).resolve("stale.part")).doesNotExist();
        }
    }

    @Test
    void aRestoreBuildInterruptedBeforeItsCommitPointLeavesTheOldDatabase() throws Exception {
        Path d = dir.resolve("replica");
        String before;
        try (SqlStore store = otherReplica(d)) {
            before = store.checksums().checksum();
        }
        // a crash while building: a partial h2-restoring, no intent file
        Path build = DatabaseSwap.buildDir(d);
        Files.createDirectories(build);
        Files.write(build.resolve("lockstep.mv.db"), new byte[4096]);
        try (SqlStore store = SqlStore.open(d)) {
            assertThat(store.recoveredFromCrash()).isFalse();
            assertThat(store.appliedIndex()).isEqualTo(new AppliedIndex(3, 2));
            assertThat(store.checksums().checksum()).isEqualTo(before);
        }
        assertThat(build).doesNotExist();
    }

    @Test
    void aRestoreInterruptedAfterItsCommitPointRollsForward() throws Exception {
        for (int variant = 0; variant < 2; variant++) {
            Path d = dir.resolve("replica" + variant);
            try (SqlStore store = otherReplica(d)) {
                ok(store.apply(3, 3, write("INSERT INTO mine VALUES 9")));
            }
            DatabaseBuilder.build(DatabaseSwap.buildDir(d), backup, new AppliedIndex(7, 70));
            Files.writeString(d.resolve(DatabaseSwap.INTENT), "x");
            if (variant == 1) { // the crash came after the first rename
                Files.move(d.resolve("h2"), d.resolve(DatabaseSwap.REPLACED_DIR));
            }
            Files.deleteIfExists(d.resolve(StoreDirectory.MARKER));
            try (SqlStore store = SqlStore.open(d)) {
                assertThat(store.recoveredFromCrash()).isFalse();
                assertThat(store.appliedIndex()).isEqualTo(new AppliedIndex(7, 70));
                assertThat(store.checksums().checksum()).isEqualTo(backupChecksum.hex());
            }
            try (Stream<Path> files = Files.list(d)) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .doesNotContain(DatabaseSwap.BUILD_DIR, DatabaseSwap.REPLACED_DIR, DatabaseSwap.INTENT);
            }
        }
    }

    @Test
    void restoreFromRefusesAnInvalidFileAndAnOpenStore() throws Exception {
        Path d = dir.resolve("replica");
        String before;
        try (SqlStore store = otherReplica(d)) {
            before = store.checksums().checksum();
            assertThatThrownBy(() -> OfflineRestore.restoreFrom(d, backup)).isInstanceOf(IllegalStateException.class);
        }
        byte[] corrupt = backupBytes.clone();
        corrupt[100] ^= 1;
        Path bad = Files.write(dir.resolve("bad.lsdb"), corrupt);
        assertThatThrownBy(() -> OfflineRestore.restoreFrom(d, bad)).isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("checksum mismatch");
        try (SqlStore store = SqlStore.open(d)) {
            assertThat(store.checksums().checksum()).isEqualTo(before);
            assertThat(store.recoveredFromCrash()).isFalse();
        }
        OfflineRestore.restoreFrom(d, backup);
        try (SqlStore store = SqlStore.open(d)) {
            assertThat(store.appliedIndex().index()).isEqualTo(SnapshotFile.verify(backup).index());
            assertThat(store.checksums().checksum()).isEqualTo(backupChecksum.hex());
        }
        OfflineRestore.resetEmpty(d);
        try (SqlStore store = SqlStore.open(d)) {
            assertThat(store.recoveredFromCrash()).isFalse();
            assertThat(store.appliedIndex()).isEqualTo(AppliedIndex.NONE);
        }
    }
}
