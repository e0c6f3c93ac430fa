package org.lockstepdb.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's directory and its clean-shutdown marker.
 *
 * <p>Why: after a kill -9, H2 has been seen to come back with a committed transaction only partly present, so
 * the applied index stored in H2 cannot be trusted after an unclean stop (CrashReplayIT and CrashDuringRecoveryIT
 * kill replicas with kill -9 and check what they rebuild). The marker
 * {@code CLEAN_SHUTDOWN} exists only between a completed clean close and the next open. If H2 files exist but
 * the marker does not, the previous run crashed: the H2 files are moved aside to {@code h2-crashed-<time>}
 * (only the newest such copy is kept, for diagnosis, and it is deleted once the rebuild succeeded:
 * {@link #deleteCrashCopies()}) and the store starts empty, so the caller's log replay rebuilds it from index 0.
 */
final class StoreDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(StoreDirectory.class);
    static final String MARKER = "CLEAN_SHUTDOWN";
    static final String H2_DIR = "h2";
    static final String DATABASE_NAME = "lockstep";
    private static final String CRASHED_PREFIX = "h2-crashed-";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Store directories open in this JVM: {@link OfflineRestore} refuses them. */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Path dir;

    StoreDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The replica's store directory (absolute, normalized): {@code h2/}, the marker, staging and swap files. */
    Path root() {
        return dir;
    }

    /** Records that a store has this directory open (true) or closed it (false). */
    void markOpen(boolean open) {
        if (open) {
            OPEN.add(dir);
        } else {
            OPEN.remove(dir);
        }
    }

    /** Whether a store in this JVM has {@code dir} (absolute, normalized) open. */
    static boolean isOpen(Path dir) {
        return OPEN.contains(dir);
    }

    Path h2Dir() {
        return dir.resolve(H2_DIR);
    }

    /** The H2 database path prefix (H2 appends {@code .mv.db}). */
    Path h2DatabasePath() {
        return h2Dir().resolve(DATABASE_NAME);
    }

    /**
     * Prepares the directory for opening: discards the H2 files of a crashed run, then deletes the marker (so
     * a crash from now on is detected next time).
     *
     * @return true if the previous run did not shut down cleanly and its database was discarded
     */
    boolean prepareForOpen() throws IOException {
        Files.createDirectories(dir);
        boolean crashed = hasH2Files() && !Files.exists(dir.resolve(MARKER));
        if (crashed) {
            Path aside = dir.resolve(CRASHED_PREFIX + STAMP.format(Instant.now()));
            LOG.warn("Replica directory {} was not shut down cleanly: discarding its H2 database (moved to {}); "
                    + "the database will be rebuilt by replaying the log", dir, aside);
            deleteCrashCopies(); // only the newest copy is kept
            Files.move(h2Dir(), aside);
        }
        Files.deleteIfExists(dir.resolve(MARKER));
        fsyncDirectory(dir);
        Files.createDirectories(h2Dir());
        return crashed;
    }

    /** Records a clean shutdown. Call only after H2 has closed its files. */
    void writeCleanShutdownMarker() throws IOException {
        Path marker = dir.resolve(MARKER);
        try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(("closed cleanly at " + Instant.now() + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        fsyncDirectory(dir);
    }

    private boolean hasH2Files() throws IOException {
        if (!Files.isDirectory(h2Dir())) {
            return false;
        }
        try (Stream<Path> files = Files.list(h2Dir())) {
            return files.findAny().isPresent();
        }
    }

    /**
     * Deletes the discarded databases of crashed runs ({@code h2-crashed-*}). Call once the database was rebuilt
     * (replayed up to the commit index, or closed cleanly): they are kept only for diagnosis until then.
     *
     * @return how many were deleted
     */
    int deleteCrashCopies() throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int deleted = 0;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path old : entries.filter(p -> p.getFileName().toString().startsWith(CRASHED_PREFIX)).toList()) {
                deleteRecursively(old);
                deleted++;
            }
        }
        if (deleted > 0) {
            fsyncDirectory(dir);
        }
        return deleted;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Makes a create/delete/rename in the directory durable; best effort where the platform cannot. */
    private static void fsyncDirectory(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {} on this platform: {}", d, e.toString());
        }
    }
}
