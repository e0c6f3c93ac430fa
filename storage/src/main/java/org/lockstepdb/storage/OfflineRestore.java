package org.lockstepdb.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the database of a store that is not open: from a snapshot or backup file ({@link #restoreFrom},
 * {@link #bootstrapFrom}) or with nothing ({@link #resetEmpty}). Each is crash-safe: the next
 * {@link SqlStore#open} sees either the old or the new database ({@link DatabaseSwap}).
 */
public final class OfflineRestore {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineRestore.class);

    private OfflineRestore() {
    }

    /**
     * Replaces the database of a closed store with a snapshot/backup file's contents; the next {@link SqlStore#open}
     * finds the applied index of the file's header. The file is verified first: if it is invalid nothing
     * changes. The new database is built in {@code storeDir/h2-restoring} and swapped in crash-safely.
     *
     * @return the verified header of the file
     * @throws InvalidSnapshotException if the file fails its checks (nothing changed)
     * @throws IOException              on an I/O failure, or if the file does not load into H2
     * @throws IllegalStateException    if the store is open in this JVM
     */
    public static SnapshotHeader restoreFrom(Path storeDir, Path snapshotFile) throws IOException, InvalidSnapshotException {
        return restore(storeDir, snapshotFile, null);
    }

    /**
     * Seeds a brand-new replica's store from a backup for a new cluster: the data of the backup, but applied
     * index "nothing" ({@link AppliedIndex#NONE}), because the new cluster's Raft log starts again at 1 and every
     * entry of it must apply. Every replica of the new cluster must be seeded from the same file. Errors as
     * {@link #restoreFrom}.
     */
    public static SnapshotHeader bootstrapFrom(Path storeDir, Path backupFile) throws IOException, InvalidSnapshotException {
        return restore(storeDir, backupFile, AppliedIndex.NONE);
    }

    private static SnapshotHeader restore(Path storeDir, Path snapshotFile, AppliedIndex appliedOverride)
            throws IOException, InvalidSnapshotException {
        Path dir = storeDir.toAbsolutePath().normalize();
        if (StoreDirectory.isOpen(dir)) {
            throw new IllegalStateException("close the store in " + dir + " before restoring it");
        }
        SnapshotHeader header = SnapshotFile.verify(snapshotFile);
        Files.createDirectories(dir);
        DatabaseSwap.recover(dir);
        long started = System.nanoTime();
        try {
            // a seeded database starts a new log: the calls of the old cluster's log mean nothing there
            DatabaseBuilder.build(DatabaseSwap.buildDir(dir), snapshotFile,
                    appliedOverride != null ? appliedOverride : new AppliedIndex(header.term(), header.index()),
                    appliedOverride != null ? ClientCallsTable::clear : built -> { });
        } catch (SQLException e) {
            FileOps.deleteRecursively(DatabaseSwap.buildDir(dir));
            throw new IOException("the backup " + snapshotFile + " does not load into H2: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            FileOps.deleteRecursively(DatabaseSwap.buildDir(dir));
            throw e;
        }
        DatabaseSwap.swapIn(dir, true);
        new RestoreStaging(dir).deleteAll();
        LOG.info("Restored {} from {} (term {}, index {}) in {} ms", dir, snapshotFile, header.term(), header.index(),
                (System.nanoTime() - started) / 1_000_000);
        return header;
    }

    /**
     * Empties the database of a closed store (for a rebuild from the log): the next open starts at applied
     * index -1. Crash-safe: the H2 directory is renamed away in one step, then deleted.
     *
     * @throws IllegalStateException if the store is open in this JVM
     */
    public static void resetEmpty(Path storeDir) throws IOException {
        Path dir = storeDir.toAbsolutePath().normalize();
        if (StoreDirectory.isOpen(dir)) {
            throw new IllegalStateException("close the store in " + dir + " before resetting it");
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        DatabaseSwap.recover(dir);
        Path h2 = dir.resolve(StoreDirectory.H2_DIR);
        if (Files.exists(h2)) {
            Path aside = dir.resolve(DatabaseSwap.REPLACED_DIR);
            FileOps.deleteRecursively(aside);
            Files.move(h2, aside, StandardCopyOption.ATOMIC_MOVE);
            FileOps.fsyncDirectory(dir);
            FileOps.deleteRecursively(aside);
        }
        Files.deleteIfExists(dir.resolve(StoreDirectory.MARKER));
        new RestoreStaging(dir).deleteAll();
        FileOps.fsyncDirectory(dir);
    }
}
