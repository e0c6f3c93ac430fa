package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.server.LockstepNode;

/**
 * Issue: "Disk stays bounded: with auto-snapshots on, a long write run leaves at most the configured number of
 * snapshots and a log no longer than the trigger interval (plus one segment) per replica."
 *
 * <p>3,000 writes of ~4 KB (12 MB of log in all) with a snapshot every 100 entries, 2 retained, and requests of at
 * most 256 KiB, which make 1 MiB log segments.
 */
class DiskBoundIT {
    private static final long INTERVAL = 100;
    private static final int RETAINED = 2;
    private static final int MAX_REQUEST_BYTES = 256 * 1024;
    private static final int WRITERS = 3;
    private static final int WRITES_PER_WRITER = 1000;
    private static final int VALUE_CHARS = 4000;
    private static final int ROWS = 200;

    /** RaftSettings: max(1 MiB, 2 * (maxRequestBytes + 64 KiB)) = 1 MiB here. */
    private static final long SEGMENT_BYTES = Math.max(1024L * 1024, 2L * (MAX_REQUEST_BYTES + 64 * 1024));
    /**
     * Upper estimate of one write's bytes in a log segment: the 4,000-character value, the SQL text and parameters
     * in LockstepDB's encoding, and Ratis' entry header and checksum. (Measured: about 4.1 KB.)
     */
    private static final long ENTRY_BYTES = 5 * 1024;
    /** Lower estimate of the same, to bound how many write entries one segment can hold. */
    private static final long MIN_ENTRY_BYTES = VALUE_CHARS;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void snapshotsAndLogStayBoundedOverALongRun() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3,
                o -> o.withMaxRequestBytes(MAX_REQUEST_BYTES).withSnapshots(INTERVAL, RETAINED))) {
            String url = cluster.url("timeoutMs=30000");
            try (Connection c = DriverManager.getConnection(url)) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TABLE blobs (id INT PRIMARY KEY, data VARCHAR(" + VALUE_CHARS + ") NOT NULL)");
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO blobs VALUES (?, '')")) {
                    for (int id = 0; id < ROWS; id++) {
                        p.setInt(1, id);
                        p.addBatch();
                    }
                    p.executeBatch();
                }
            }
            List<LockstepNode> nodes = cluster.runningNodes();

            // Samples each replica's log size while the writers run.
            Map<String, Long> maxLogBytes = new ConcurrentHashMap<>();
            Map<String, Long> maxLogEntries = new ConcurrentHashMap<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    for (LockstepNode n : nodes) {
                        try {
                            maxLogBytes.merge(n.id(), logBytes(cluster.logDir(n.id())), Math::max);
                            maxLogEntries.merge(n.id(), keptEntries(cluster, n), Math::max);
                        } catch (IOException | UncheckedIOException e) {
                            // a segment was deleted while listing: skip this sample
                        }
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "log-sampler");
            sampler.setDaemon(true);
            sampler.start();

            // Each write is one ~4 KB entry; the table stays small (200 rows overwritten), the log does not.
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    try (Connection c = DriverManager.getConnection(url);
                         PreparedStatement p = c.prepareStatement("UPDATE blobs SET data = ? WHERE id = ?")) {
                        for (int i = 0; i < WRITES_PER_WRITER; i++) {
                            p.setString(1, value(writer, i));
                            p.setInt(2, (writer * WRITES_PER_WRITER + i) % ROWS);
                            p.executeUpdate();
                        }
                    } catch (SQLException | RuntimeException e) {
                        failures.add(e);
                    }
                }, "writer-" + w);
                writers.add(t);
                t.start();
            }
            for (Thread t : writers) {
                t.join(120_000);
                assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
            }
            assertThat(failures).as("failed writes").isEmpty();
            // One more write lets a copy that finished after the last write get registered (and the log purged).
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE blobs SET data = 'last' WHERE id = 0");
            }
            String checksum = Replicas.assertConverged(nodes);
            sampling.set(false);
            sampler.join(5_000);
            assertThat(checksum).isNotEmpty();

            long written = WRITERS * WRITES_PER_WRITER * ENTRY_BYTES;
            // Bytes: purging removes only whole closed segments up to the latest registered snapshot. What stays is
            //  - the segment holding the snapshot index (at most one full segment),
            //  - the entries after the snapshot index: at most one interval (the next trigger) plus the entries
            //    applied while that copy was written before it got registered; allow a second interval for that,
            //  - the open segment's preallocated tail (Ratis preallocates at most up to the segment size).
            long byteBound = 2 * INTERVAL * ENTRY_BYTES + 2 * (SEGMENT_BYTES + ENTRY_BYTES);
            // Entries (indices): after the snapshot at most one interval plus the registration lag (slack), plus what
            // the not yet purgeable segment holds before the snapshot index. Indices are not dense: Ratis' commit
            // metadata entries (a few bytes) take indices too, at most one per write, so a segment spans at most
            // 2 * SEGMENT_BYTES / MIN_ENTRY_BYTES indices.
            long entriesPerSegment = 2 * SEGMENT_BYTES / MIN_ENTRY_BYTES;
            long slack = INTERVAL;
            long entryBound = INTERVAL + entriesPerSegment + slack;
            assertThat(byteBound).as("the bound is meaningful").isLessThan(written / 3);

            for (LockstepNode n : nodes) {
                RaftLog log = n.raftServer().getDivision(cluster.groupId()).getRaftLog();
                List<StoreQueries.SnapshotName> snapshots = StoreQueries.snapshotFiles(cluster.snapshotDir(n.id()));
                long bytes = logBytes(cluster.logDir(n.id()));
                long kept = keptEntries(cluster, n);
                System.out.printf("DiskBoundIT: %s snapshots=%s log: %d bytes in %s, indices %d..%d (%d kept); "
                                + "max during run: %d bytes, %d indices; bounds: %d bytes, %d indices; written %d bytes%n",
                        n.id(), snapshots.stream().map(StoreQueries.SnapshotName::index).toList(), bytes,
                        segmentNames(cluster.logDir(n.id())), log.getStartIndex(), log.getLastEntryTermIndex().getIndex(),
                        kept, maxLogBytes.getOrDefault(n.id(), -1L), maxLogEntries.getOrDefault(n.id(), -1L),
                        byteBound, entryBound, written);
                assertThat(snapshots).as("snapshot files on %s", n.id()).isNotEmpty().hasSizeLessThanOrEqualTo(RETAINED);
                assertThat(log.getStartIndex()).as("log start on %s (it was purged)", n.id()).isGreaterThan(INTERVAL);
                assertThat(bytes).as("log bytes on %s", n.id()).isLessThanOrEqualTo(byteBound);
                assertThat(kept).as("log entries kept on %s", n.id()).isLessThanOrEqualTo(entryBound);
                assertThat(maxLogBytes.getOrDefault(n.id(), 0L)).as("largest log on %s during the run", n.id())
                        .isLessThanOrEqualTo(byteBound);
            }
        }
    }

    private static String value(int writer, int i) {
        StringBuilder sb = new StringBuilder(VALUE_CHARS);
        String stamp = writer + ":" + i + ";";
        while (sb.length() < VALUE_CHARS) {
            sb.append(stamp);
        }
        sb.setLength(VALUE_CHARS);
        return sb.toString();
    }

    private static long keptEntries(TestCluster cluster, LockstepNode n) throws IOException {
        RaftLog log = n.raftServer().getDivision(cluster.groupId()).getRaftLog();
        return log.getLastEntryTermIndex().getIndex() - log.getStartIndex();
    }

    /** Total size of the log segment files ({@code log_*}; not raft-meta) in a replica's current/ directory. */
    private static long logBytes(Path current) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(current)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("log_")).toList()) {
                try {
                    total += Files.size(f);
                } catch (NoSuchFileException e) {
                    // purged meanwhile
                }
            }
        }
        return total;
    }

    private static List<String> segmentNames(Path current) throws IOException {
        try (Stream<Path> files = Files.list(current)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("log_")).sorted().toList();
        }
    }
}
