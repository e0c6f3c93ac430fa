package org.lockstepdb.server.raft;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.MD5FileUtil;
import org.lockstepdb.storage.SnapshotExport;
import org.lockstepdb.storage.SnapshotHeader;
import org.lockstepdb.storage.SqlStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes Raft snapshots without holding up writes for the whole copy.
 *
 * <p>Ratis calls {@code takeSnapshot} on its apply thread; everything done there stalls writes. So a call only
 * <em>pins</em> the database state (an H2 snapshot transaction at exactly the last applied index, a few ms)
 * and hands the copy to a background thread, which writes the snapshot file into Ratis' snapshot directory
 * under a temporary name. A later {@code takeSnapshot} call registers the finished file (renamed to
 * {@code snapshot.<term>_<index>} with its MD5, which Ratis uses for installs and retention) and returns its
 * index; until then it returns the previous snapshot's index, so Ratis never purges log entries that no
 * finished snapshot covers. At most one copy runs at a time.
 */
final class SnapshotKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotKeeper.class);
    private static final String TEMP_PREFIX = ".export-";
    /** Entries that change no data (metadata, verify) still make the log grow: recopy after this many. */
    private static final long LOG_ONLY_GAP = 1024;

    /** A copy running in the background: the index it pins, where it goes, and its completion. */
    private record Export(TermIndex pinned, Path tempFile, SnapshotExport export, Future<SnapshotHeader> done) {
    }

    private final SimpleStateMachineStorage storage;
    private final ExecutorService copier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lockstep-snapshot-copier");
        t.setDaemon(true);
        return t;
    });
    private Export running;
    /** The store's applied index at the latest pin: an unchanged database needs a new copy only to let the log shrink. */
    private long pinnedStoreIndex = -1;
    /**
     * The store's applied index when it last refused a pin (a restore is being staged): Ratis asks on every
     * apply batch, so ask the store again only once its state has moved (a chunk, the commit or the abort).
     */
    private long refusedAtStoreIndex = Long.MIN_VALUE;

    SnapshotKeeper(SimpleStateMachineStorage storage) {
        this.storage = storage;
    }

    /**
     * Ratis' {@code takeSnapshot}: registers a finished copy, starts a new one if the state moved past the
     * latest snapshot, and returns the latest finished snapshot's index.
     */
    synchronized long takeSnapshot(SqlStore store, TermIndex lastApplied) {
        if (registerIfFinished()) {
            // Ratis moves its snapshot index to this copy now; the next trigger comes an interval later.
            // Starting another copy here would copy the database twice per interval.
            return latestIndex();
        }
        long latest = latestIndex();
        if (running == null && lastApplied != null && lastApplied.getIndex() > latest
                && store.appliedIndex().index() != refusedAtStoreIndex
                && (store.appliedIndex().index() > pinnedStoreIndex || lastApplied.getIndex() - latest >= LOG_ONLY_GAP)) {
            start(store, lastApplied);
        }
        return latest;
    }

    /** The index a running copy pins, or -1 when none runs. */
    synchronized long exportingIndex() {
        return running == null ? RaftLog.INVALID_LOG_INDEX : running.pinned().getIndex();
    }

    long latestIndex() {
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        return latest == null ? RaftLog.INVALID_LOG_INDEX : latest.getIndex();
    }

    private void start(SqlStore store, TermIndex pinned) {
        SnapshotExport export;
        try {
            export = SnapshotExport.begin(store);
        } catch (IOException | RuntimeException e) {
            // e.g. a restore is being staged: snapshots wait until it ends (the log keeps every chunk meanwhile)
            LOG.info("not taking a snapshot at {} now: {}", pinned, e.getMessage());
            refusedAtStoreIndex = store.appliedIndex().index();
            return;
        }
        File dir = storage.getSnapshotFile(pinned.getTerm(), pinned.getIndex()).getParentFile();
        Path temp = dir.toPath().resolve(TEMP_PREFIX + pinned.getTerm() + "_" + pinned.getIndex());
        long startNanos = System.nanoTime();
        Future<SnapshotHeader> done = copier.submit(() -> {
            try (export) {
                SnapshotHeader header = export.writeTo(temp);
                LOG.info("snapshot copy at {} written in {} ms ({} bytes)", pinned,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), header.sizeBytes());
                return header;
            }
        });
        running = new Export(pinned, temp, export, done);
        pinnedStoreIndex = export.appliedIndex().index();
    }

    /** @return true if a finished copy was registered (successfully or not) by this call */
    private boolean registerIfFinished() {
        if (running == null || !running.done().isDone()) {
            return false;
        }
        Export finished = running;
        running = null;
        try {
            finished.done().get();
            File target = storage.getSnapshotFile(finished.pinned().getTerm(), finished.pinned().getIndex());
            Files.move(finished.tempFile(), target.toPath(), StandardCopyOption.ATOMIC_MOVE);
            var md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
            storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), finished.pinned()));
            LOG.info("snapshot at {} registered: {}", finished.pinned(), target);
        } catch (Exception e) {
            LOG.warn("snapshot copy at {} failed; the next trigger takes a new one: {}", finished.pinned(), e.toString());
            pinnedStoreIndex = -1;
            deleteQuietly(finished.tempFile());
        }
        return true;
    }

    /** Stops any running copy and removes its partial file (before Ratis replaces the snapshot directory). */
    synchronized void cancel() {
        if (running == null) {
            return;
        }
        running.done().cancel(true);
        try {
            copier.submit(() -> { }).get(60, TimeUnit.SECONDS); // the single copier thread is idle again
        } catch (Exception e) {
            LOG.warn("snapshot copy at {} did not stop: {}", running.pinned(), e.toString());
        }
        running.export().close(); // idempotent; releases the pinned transaction if the copy never started
        deleteQuietly(running.tempFile());
        running = null;
    }

    @Override
    public void close() {
        cancel();
        copier.shutdownNow();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.toString());
        }
    }
}
