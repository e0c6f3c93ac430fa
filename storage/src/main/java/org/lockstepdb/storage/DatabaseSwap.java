package org.lockstepdb.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the replica's H2 database ({@code dir/h2}) with one built aside ({@code dir/h2-restoring}), so that a
 * crash at any point leaves either the old or the new database, never a mix.
 *
 * <p>Protocol. The new database is built and cleanly shut down in {@code h2-restoring} and synced. Then the
 * intent file {@code RESTORE_COMMIT} is written and synced: this is the commit point. Then {@code h2} is renamed
 * to {@code h2-replaced}, {@code h2-restoring} to {@code h2}, the intent file is deleted and {@code h2-replaced}
 * removed.
 *
 * <p>Recovery ({@link #recover}, run before every open). If {@code RESTORE_COMMIT} exists, the swap rolls
 * forward: {@code h2-restoring}, if still there, replaces {@code h2}; the new database was shut down cleanly,
 * so the clean-shutdown marker is written for it. Without the intent file, a leftover {@code h2-restoring} is
 * an unfinished build and is deleted: the old database stays (and the usual crash detection then judges it).
 */
final class DatabaseSwap {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSwap.class);
    static final String BUILD_DIR = "h2-restoring";
    static final String REPLACED_DIR = "h2-replaced";
    static final String INTENT = "RESTORE_COMMIT";

    private DatabaseSwap() {
    }

    static Path buildDir(Path dir) {
        return dir.resolve(BUILD_DIR);
    }

    /**
     * Swaps {@code dir/h2-restoring} (complete, cleanly shut down) into place.
     *
     * @param writeMarker whether to leave the clean-shutdown marker (true when the store is closed; false when
     *                    an open store reopens at once and must keep crash detection armed)
     */
    static void swapIn(Path dir, boolean writeMarker) throws IOException {
        Path build = dir.resolve(BUILD_DIR);
        if (!Files.isDirectory(build)) {
            throw new IOException("no database built in " + build);
        }
        FileOps.deleteRecursively(dir.resolve(REPLACED_DIR));
        writeIntent(dir);
        finish(dir, writeMarker);
    }

    /** Completes or undoes an interrupted swap. Call before the store directory is opened. */
    static void recover(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir.resolve(INTENT))) {
            LOG.warn("Replica directory {}: completing a database restore that was interrupted after its commit "
                    + "point", dir);
            finish(dir, true);
        } else if (Files.exists(dir.resolve(BUILD_DIR))) {
            LOG.warn("Replica directory {}: discarding an unfinished database restore ({}); the previous database "
                    + "stays", dir, BUILD_DIR);
            FileOps.deleteRecursively(dir.resolve(BUILD_DIR));
            FileOps.fsyncDirectory(dir);
        }
        FileOps.deleteRecursively(dir.resolve(REPLACED_DIR));
    }

    /** From the commit point on; idempotent, so recovery can run it again after a crash inside it. */
    private static void finish(Path dir, boolean writeMarker) throws IOException {
        Path live = dir.resolve(StoreDirectory.H2_DIR);
        Path build = dir.resolve(BUILD_DIR);
        Path replaced = dir.resolve(REPLACED_DIR);
        if (Files.exists(build)) {
            if (Files.exists(live)) {
                FileOps.deleteRecursively(replaced);
                Files.move(live, replaced, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(build, live, StandardCopyOption.ATOMIC_MOVE);
            FileOps.fsyncDirectory(dir);
        }
        Path marker = dir.resolve(StoreDirectory.MARKER);
        if (writeMarker) {
            writeSynced(marker, "restored cleanly\n");
        } else {
            Files.deleteIfExists(marker);
        }
        Files.deleteIfExists(dir.resolve(INTENT));
        FileOps.fsyncDirectory(dir);
        FileOps.deleteRecursively(replaced);
    }

    private static void writeIntent(Path dir) throws IOException {
        writeSynced(dir.resolve(INTENT), "h2-restoring is complete: it replaces h2\n");
        FileOps.fsyncDirectory(dir);
    }

    private static void writeSynced(Path file, String text) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            ch.force(true);
        }
    }
}
