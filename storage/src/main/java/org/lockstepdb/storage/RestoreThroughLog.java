package org.lockstepdb.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a backup through the log, so that every replica switches at the same index: the backup is uploaded
 * in chunks ({@link #stageChunk}), each a log entry staged on disk ({@link RestoreStaging}), then swapped in
 * at one entry ({@link #commit}) or abandoned ({@link #abort}). Each operation is a log operation like
 * {@link SqlStore#apply}: deterministic, exactly once with the applied index, on the apply thread.
 *
 * <p>Every operation returns an empty Optional when {@code index} is at or below the stored applied index (an
 * entry applied before a restart, replayed): nothing is done then. Otherwise a {@link WriteResult} or an
 * {@link ErrorReply} (SQLStates in {@link StoreSqlStates}). A failure of this replica (I/O, disk) throws
 * {@link StoreFailureException}: the caller must stop the replica rather than diverge.
 *
 * <p>Obtained from {@link SqlStore#restores()}. The swap itself (closing every session, renaming the files
 * crash-safely with {@link DatabaseSwap}, reopening) belongs to the store, which this class asks for it.
 */
public final class RestoreThroughLog {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreThroughLog.class);

    /** The store's side of a commit: swaps the database built in {@link DatabaseSwap#buildDir} in and reopens. */
    interface DatabaseReopener {
        void swapInAndReopen(long index);
    }

    private final ApplySession writer;
    private final RestoreStaging staging;
    private final Path root;
    private final DatabaseReopener reopener;

    RestoreThroughLog(ApplySession writer, RestoreStaging staging, Path root, DatabaseReopener reopener) {
        this.writer = writer;
        this.staging = staging;
        this.root = root;
        this.reopener = reopener;
    }

    /**
     * Appends one chunk of a backup being uploaded for a restore. A chunk that ends at or below the bytes already
     * staged is a replayed duplicate: accepted, nothing written. A chunk that starts beyond them (a gap) is
     * refused (22023).
     *
     * @return empty if already applied; a {@link WriteResult} whose single update count is the number of bytes
     *         now staged; or an {@link ErrorReply} (22023: invalid id, offset or bytes, or a gap)
     */
    public Optional<Reply> stageChunk(long term, long index, String restoreId, long offset, byte[] bytes) {
        synchronized (writer.lock) {
            writer.checkWritable();
            if (writer.appliedAlready(index)) {
                return Optional.empty();
            }
            if (!RestoreStaging.isValidId(restoreId) || offset < 0 || bytes == null) {
                return refuse(term, index, "invalid restore chunk: the restore id must be 1-64 characters "
                        + "of [A-Za-z0-9._-], the offset >= 0 and the bytes present");
            }
            try {
                long recorded = RestoreStaging.stagedBytes(writer.connection(), restoreId);
                long staged = Math.max(recorded, 0);
                if (offset > staged) {
                    return refuse(term, index, "restore " + restoreId + ": chunk at offset " + offset
                            + " leaves a gap, " + staged + " bytes are staged; resend from offset " + staged);
                }
                long end = offset + bytes.length;
                if (end > staged) {
                    staging.write(restoreId, staged, bytes, (int) (staged - offset));
                }
                if (end > staged || recorded < 0) {
                    RestoreStaging.record(writer.connection(), restoreId, Math.max(end, staged), index);
                }
                writer.commitApplied(term, index);
                return Optional.of(new WriteResult(index, List.of(new StatementResult(List.of(Math.max(end, staged)), null))));
            } catch (IOException e) {
                throw writer.fail("staging restore chunk " + index + " failed on this replica", e);
            } catch (SQLException e) {
                if (H2ErrorClassifier.isReplicaFailure(e)) {
                    throw writer.fail("staging restore chunk " + index + " failed on this replica", e);
                }
                writer.recordRejected(term, index);
                return Optional.of(H2ErrorClassifier.toReply(e));
            }
        }
    }

    /**
     * Replaces the whole database with the staged backup, at this entry. The staged file is verified (format,
     * checksum, and {@code expectedSha256} of the whole file if not null); if it is invalid the restore is refused
     * with an {@link ErrorReply} and the data is unchanged. Otherwise the database becomes the backup's contents
     * with applied index (term, index) of THIS entry (the backup's own header index is only informational), and
     * the store stays open. Queries running at the swap fail (57P03) and may be retried. Either way the staging
     * of this restore ends; a crash at any point leaves the old or the new database (see {@link DatabaseSwap}),
     * and the old one is then rebuilt from the log as after any crash.
     *
     * @return empty if already applied; a {@link WriteResult}; or an {@link ErrorReply} (22023: invalid id,
     *         nothing staged, SHA-256 mismatch; XX001: the backup fails its checks; H2's SQLState: it does not load)
     */
    public Optional<Reply> commit(long term, long index, String restoreId, String expectedSha256) {
        synchronized (writer.lock) {
            writer.checkWritable();
            if (writer.appliedAlready(index)) {
                return Optional.empty();
            }
            if (!RestoreStaging.isValidId(restoreId)) {
                return refuse(term, index, "invalid restore id");
            }
            long staged;
            try {
                staged = RestoreStaging.stagedBytes(writer.connection(), restoreId);
            } catch (SQLException e) {
                throw writer.fail("reading the staged restore at entry " + index + " failed", e);
            }
            if (staged < 0) {
                return refuse(term, index, "no backup is staged for restore " + restoreId);
            }
            Path file;
            SnapshotHeader header;
            try {
                file = staging.trimmed(restoreId, staged);
                header = SnapshotFile.verify(file);
            } catch (IOException e) {
                throw writer.fail("verifying the staged restore at entry " + index + " failed on this replica", e);
            } catch (InvalidSnapshotException e) {
                return endStaging(term, index, restoreId, new ErrorReply(StoreSqlStates.INVALID_BACKUP, 0,
                        "restore refused, the database was not changed: the uploaded backup is invalid: " + e.getMessage()));
            }
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(header.sha256hex())) {
                return endStaging(term, index, restoreId, new ErrorReply(StoreSqlStates.INVALID_RESTORE_ARGUMENT, 0,
                        "restore refused, the database was not changed: the uploaded backup's SHA-256 is "
                                + header.sha256hex() + ", expected " + expectedSha256));
            }
            long started = System.nanoTime();
            try {
                // the calls remembered come from this cluster's log, not the backup's: a retry of a write made
                // before the restore must still be recognized after it
                DatabaseBuilder.build(DatabaseSwap.buildDir(root), file, new AppliedIndex(term, index), built -> {
                    ClientCallsTable.clear(built);
                    ClientCallsTable.copy(writer.connection(), built);
                });
            } catch (SQLException e) {
                deleteBuildDir();
                if (H2ErrorClassifier.isReplicaFailure(e)) {
                    throw writer.fail("building the restored database at entry " + index + " failed on this replica", e);
                }
                return endStaging(term, index, restoreId, new ErrorReply(e.getSQLState(), e.getErrorCode(),
                        "restore refused, the database was not changed: the backup does not load: " + e.getMessage()));
            } catch (IOException | RuntimeException e) {
                deleteBuildDir();
                throw writer.fail("building the restored database at entry " + index + " failed on this replica", e);
            }
            reopener.swapInAndReopen(index);
            LOG.info("Restored the database from backup {} (taken at index {}) at log index {} in {} ms", restoreId,
                    header.index(), index, (System.nanoTime() - started) / 1_000_000);
            return Optional.of(new WriteResult(index, List.of()));
        }
    }

    /**
     * Abandons a staged restore ({@code restoreId} null: all of them) and deletes its file.
     *
     * @return empty if already applied; a {@link WriteResult} (also if nothing was staged under the id); or an
     *         {@link ErrorReply} (22023: invalid id)
     */
    public Optional<Reply> abort(long term, long index, String restoreId) {
        synchronized (writer.lock) {
            writer.checkWritable();
            if (writer.appliedAlready(index)) {
                return Optional.empty();
            }
            if (restoreId != null && !RestoreStaging.isValidId(restoreId)) {
                return refuse(term, index, "invalid restore id");
            }
            try {
                RestoreStaging.forget(writer.connection(), restoreId);
                writer.commitApplied(term, index);
                staging.deleteOrphans(writer.connection());
                return Optional.of(new WriteResult(index, List.of()));
            } catch (SQLException e) {
                throw writer.fail("aborting restore at entry " + index + " failed", e);
            }
        }
    }

    /** The restores being staged through the log (as of the last applied entry). Call on the apply thread. */
    public List<StagedRestore> staged() {
        synchronized (writer.lock) {
            writer.checkWritable();
            try {
                List<StagedRestore> all = RestoreStaging.list(writer.connection());
                writer.connection().commit();
                return all;
            } catch (SQLException e) {
                throw writer.fail("reading the staged restores failed", e);
            }
        }
    }

    /** Refuses a restore step for an invalid argument (22023): nothing changes but the applied index. */
    private Optional<Reply> refuse(long term, long index, String message) {
        writer.recordRejected(term, index);
        return Optional.of(new ErrorReply(StoreSqlStates.INVALID_RESTORE_ARGUMENT, 0, message));
    }

    /** Refuses a restore: forgets its staging and advances the applied index, in one commit. */
    private Optional<Reply> endStaging(long term, long index, String restoreId, ErrorReply reply) {
        try {
            writer.connection().rollback();
            RestoreStaging.forget(writer.connection(), restoreId);
            writer.commitApplied(term, index);
        } catch (SQLException e) {
            throw writer.fail("cannot record refused restore at entry " + index, e);
        }
        staging.deleteFile(restoreId);
        return Optional.of(reply);
    }

    private void deleteBuildDir() {
        try {
            FileOps.deleteRecursively(DatabaseSwap.buildDir(root));
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", DatabaseSwap.buildDir(root), e.toString());
        }
    }
}
