package org.lockstepdb.server.raft;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

import org.lockstepdb.storage.SnapshotExport;
import org.lockstepdb.storage.SnapshotHeader;
import org.lockstepdb.storage.SqlStore;

/**
 * Online backups written by this replica into {@code <data>/backups/<id>.lsnap}, then fetched by the client in
 * bounded chunks (so a database larger than any message can be backed up) and deleted. The state is pinned on
 * the apply thread when the {@code backup} entry is applied, so the backup holds exactly that log index; the
 * copy runs in the background while writes continue.
 */
final class BackupExports implements AutoCloseable {
    static final int MAX_CHUNK_BYTES = 1024 * 1024;
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Path dir;
    private final Map<String, Future<SnapshotHeader>> exports = new ConcurrentHashMap<>();
    private final ExecutorService copier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lockstep-backup-copier");
        t.setDaemon(true);
        return t;
    });

    BackupExports(Path dir) {
        this.dir = dir;
        deleteLeftovers();
    }

    /**
     * A backup file outlives neither its client's fetch nor a restart: files from a previous run (an
     * interrupted fetch, or a {@code backup} entry re-applied during log replay) are removed at start.
     */
    private void deleteLeftovers() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(BackupExports.class).warn("cannot clean {}: {}", dir, e.toString());
        }
    }

    /** Pins the current state (apply thread) and starts copying it. */
    void start(String id, SqlStore store) throws IOException {
        Path file = file(id);
        Files.createDirectories(dir);
        SnapshotExport export = SnapshotExport.begin(store);
        exports.put(id, copier.submit(() -> {
            try (export) {
                return export.writeTo(file);
            }
        }));
    }

    /** {@code null} while the copy runs; the header when done. */
    SnapshotHeader status(String id) throws IOException {
        Future<SnapshotHeader> f = exports.get(checkId(id));
        if (f == null) {
            throw new IOException("no backup '" + id + "' on this replica");
        }
        if (!f.isDone()) {
            return null;
        }
        try {
            return f.get();
        } catch (Exception e) {
            throw new IOException("backup '" + id + "' failed: " + e.getMessage(), e);
        }
    }

    byte[] chunk(String id, long offset, int length) throws IOException {
        if (status(id) == null) {
            throw new IOException("backup '" + id + "' is still being written");
        }
        int n = Math.min(length, MAX_CHUNK_BYTES);
        try (RandomAccessFile f = new RandomAccessFile(file(id).toFile(), "r")) {
            if (offset < 0 || offset > f.length()) {
                throw new IOException("offset " + offset + " is outside backup '" + id + "' of " + f.length() + " bytes");
            }
            byte[] bytes = new byte[(int) Math.min(n, f.length() - offset)];
            f.seek(offset);
            f.readFully(bytes);
            return bytes;
        }
    }

    void delete(String id) throws IOException {
        exports.remove(checkId(id));
        Files.deleteIfExists(file(id));
    }

    private Path file(String id) {
        return dir.resolve(checkId(id) + ".lsnap");
    }

    private static String checkId(String id) {
        if (!SAFE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("bad backup id '" + id + "'");
        }
        return id;
    }

    @Override
    public void close() {
        copier.shutdownNow();
    }
}
