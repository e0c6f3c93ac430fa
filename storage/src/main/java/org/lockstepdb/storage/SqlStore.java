package org.lockstepdb.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Supplier;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.TxCommitRequest;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's SQL state: an embedded H2 database under {@code dir/h2/}, to which log entries are applied in
 * order, each atomically with the stored applied index, and on which read-only queries run concurrently. This
 * class applies entries, runs queries and owns the lifecycle; the other concerns are its parts:
 * {@link #checksums()} ({@link StoreChecksums}), {@link #restores()} (a backup restored through the log,
 * {@link RestoreThroughLog}), {@link SnapshotExport#begin(SqlStore)} (snapshots and backups), and
 * {@link OfflineRestore} (replacing the database of a store that is not open).
 *
 * <p><b>Crash safety.</b> H2 is not trusted after an unclean stop: after kill -9 it loses the last commits
 * (expected, H2 writes commits to disk up to ~500 ms later) and has been seen to come back with a committed
 * transaction only partly present. So the store keeps a marker file {@code dir/CLEAN_SHUTDOWN}: it is deleted
 * when the store opens and written only after {@link #close()} has shut H2 down. If on open H2 files exist but
 * the marker does not, the store moves the H2 files aside ({@code dir/h2-crashed-<time>}, only the newest copy
 * kept), starts empty with applied index -1 and reports {@link #recoveredFromCrash()}; the caller's log replay
 * (or snapshot install) rebuilds the state. After a clean close the stored applied index is exact and replay
 * resumes after it. A store that threw {@link StoreFailureException} never writes the marker either.
 *
 * <p><b>Threads.</b> {@link #apply} and the other log operations must be called by one thread at a time, in log
 * order (they are synchronized anyway). {@link #query} and checksums may be called from any thread,
 * concurrently with apply: queries run on a bounded pool of sessions in H2 SNAPSHOT isolation, each seeing one
 * committed state. {@link #speculate} (an interactive transaction's next operation) may be called from any
 * thread too; it takes the apply lock and runs on the apply thread, between two entries ({@link Speculation}).
 */
public final class SqlStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqlStore.class);

    private final StoreDirectory directory;
    private final H2Sessions sessions;
    private final StoreOptions options;
    private final boolean recoveredFromCrash;
    private final RestoreStaging staging;
    private final ApplySession writer = new ApplySession();
    private final StoreChecksums checksums;
    private final RestoreThroughLog restores;
    // replaced when a restore through the log swaps the database (under the apply lock)
    private EntryApplier applier;
    private volatile QueryPool queryPool;
    private final QueryRunner queryRunner;
    /** The thread H2 runs log entries' SQL on; lives as long as the store. */
    private final DeepStackThread deepStack;
    /** Interactive transactions' speculative runs; its session is used only under the apply lock. */
    private final Speculation speculation;
    private volatile boolean restoring;

    private SqlStore(StoreDirectory directory, StoreOptions options, boolean recoveredFromCrash) throws SQLException {
        this.directory = directory;
        this.options = options;
        this.recoveredFromCrash = recoveredFromCrash;
        this.sessions = new H2Sessions(directory);
        this.staging = new RestoreStaging(directory.root());
        this.checksums = new StoreChecksums(writer, sessions);
        this.restores = new RestoreThroughLog(writer, staging, directory.root(), this::swapInAndReopen);
        this.queryRunner = new QueryRunner(options);
        this.deepStack = new DeepStackThread("lockstep-apply-" + directory.root().getFileName());
        this.speculation = new Speculation(sessions, options, System::currentTimeMillis);
        try {
            H2Internals.checkVersion(); // speculation and the session clock restore H2 internals of this version
            TieBreaking.checkInternals(); // and ties of ORDER BY are broken in them: refuse to open, not to apply
            openDatabase();
        } catch (SQLException | RuntimeException e) {
            deepStack.close();
            throw e;
        }
    }

    /** Opens the apply session and the query pool on the database files; at open and after a restore swap. */
    private void openDatabase() throws SQLException {
        Connection session = sessions.openApplySession();
        try {
            EntryClock.attach(session); // fail here, not by diverging: entries need the clock pinned to their stamp
            AppliedIndexTable.create(session);
            ClientCallsTable.create(session);
            RaftGroupTable.create(session);
            RestoreStaging.createTable(session);
            PlanStatistics.resetToDefaults(session);
            H2Sessions.grantReaderOnAllSchemas(session);
            AppliedIndex applied = AppliedIndexTable.read(session);
            session.commit();
            staging.deleteOrphans(session);
            session.commit();
            writer.attach(session, applied);
        } catch (SQLException | RuntimeException e) {
            H2Sessions.closeQuietly(session);
            throw e;
        }
        this.applier = new EntryApplier(session, deepStack);
        this.queryPool = new QueryPool(sessions, options.queryConnections());
    }

    /** Opens (creating if needed) the replica's database under dir (H2 files in dir/h2/). */
    public static SqlStore open(Path dir) throws IOException {
        return open(dir, StoreOptions.defaults());
    }

    /**
     * As {@link #open(Path)}, with the query limits of {@code options}.
     *
     * @throws IOException if the directory or the H2 database cannot be opened
     */
    public static SqlStore open(Path dir, StoreOptions options) throws IOException {
        StoreDirectory directory = new StoreDirectory(dir);
        DatabaseSwap.recover(directory.root()); // finish or undo a restore a crash interrupted
        boolean crashed = directory.prepareForOpen();
        try {
            SqlStore store = new SqlStore(directory, options, crashed);
            directory.markOpen(true);
            LOG.info("Opened SQL store {} at applied index {}{}", directory.h2Dir(), store.appliedIndex(),
                    crashed ? " (previous run crashed: starting empty, the log replay rebuilds it)" : "");
            return store;
        } catch (SQLException e) {
            throw new IOException("cannot open the H2 database in " + directory.h2Dir() + ": " + e.getMessage(), e);
        }
    }

    public AppliedIndex appliedIndex() {
        return writer.applied();
    }

    /** True if the previous run did not shut down cleanly and its database was discarded on open. */
    public boolean recoveredFromCrash() {
        return recoveredFromCrash;
    }

    public StoreOptions options() {
        return options;
    }

    /** Checksums of the user data, now or pinned at the current applied index. */
    public StoreChecksums checksums() {
        return checksums;
    }

    /** The log operations that restore a backup through the log. */
    public RestoreThroughLog restores() {
        return restores;
    }

    ApplySession writer() {
        return writer;
    }

    H2Sessions sessions() {
        return sessions;
    }

    /**
     * Binds this database to one Raft group: the first call records {@code groupId}; later calls (later starts)
     * check it. The applied index is a position in that group's log only.
     *
     * @throws IOException if the database was bound to another group (nothing is changed), or H2 fails
     */
    public void bindRaftGroup(String groupId) throws IOException {
        synchronized (writer.lock) {
            writer.checkWritable();
            Connection session = writer.connection();
            try {
                Optional<String> bound = RaftGroupTable.read(session);
                if (bound.isEmpty()) {
                    RaftGroupTable.write(session, groupId);
                } else if (!bound.get().equals(groupId)) {
                    session.rollback();
                    throw new IOException("the database in " + directory.h2Dir() + " holds the log of Raft group "
                            + bound.get() + " up to index " + appliedIndex().index() + ", not of group " + groupId
                            + ": refusing to start, it would skip or misapply this group's entries. Was --cluster "
                            + "changed, or --data pointed at another cluster's replica? Start it with its own cluster "
                            + "name, or give this replica an empty data directory");
                }
                session.commit();
            } catch (SQLException e) {
                throw new IOException("cannot read or record the Raft group of " + directory.h2Dir() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * Deletes the databases discarded after crashes ({@code h2-crashed-*}, kept for diagnosis only). Call when
     * the rebuild succeeded: the replay reached the commit index known at start-up. A clean close does it too.
     * Failures to delete are logged, not thrown: the copies are not needed for anything.
     */
    public void discardCrashCopies() {
        try {
            int deleted = directory.deleteCrashCopies();
            if (deleted > 0) {
                LOG.info("SQL store {} is rebuilt (applied index {}): deleted the database discarded after the crash",
                        directory.h2Dir(), appliedIndex());
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the discarded crash copies next to {}: {}", directory.h2Dir(), e.toString());
        }
    }

    /** Applies one log entry that carries no client call (tests, tools): no retry is recognized. */
    public Optional<Reply> apply(long term, long index, WriteRequest entry) {
        return apply(term, index, entry, null);
    }

    /**
     * Applies one log entry atomically with the update of the stored applied index and, if {@code call} is not
     * null, the record of the call and its reply ({@link ClientCallsTable}).
     *
     * <p>An entry whose call was already applied at an earlier index (a retry that reached the log twice) is not
     * applied again: only the applied index advances, and the reply is the original one. This is decided from
     * replicated state, so every replica decides the same.
     *
     * @param call the Ratis client id and call id of the request in the entry, or null
     * @return the reply to the entry: a {@link WriteResult} (logIndex = the index it was applied at) or an
     *         {@link ErrorReply}, or the original reply of a repeated call. When {@code index} is not above the
     *         stored applied index (the entry was applied before a restart and is replayed; nothing is done) it is
     *         the original reply if the call is still remembered, and empty if not.
     * @throws StoreFailureException for failures of this replica (I/O, disk full, corruption, closed database,
     *                               out of memory): the caller must stop the replica rather than diverge
     */
    public Optional<Reply> apply(long term, long index, WriteRequest entry, ClientCall call) {
        synchronized (writer.lock) {
            return applyOnce(term, index, call, () -> {
                ClassifiedEntry classified = ClassifiedEntry.of(entry); // once per entry: WriteGuard reads it too
                return new NewEntry(classified.hasDdl(), () -> applyNew(term, index, classified, call, classified.hasDdl()));
            });
        }
    }

    /**
     * Applies the commit entry of an interactive transaction, like any entry (atomically with the applied index
     * and the record of {@code call}; a repeated call is answered with its original reply): re-runs the
     * transaction's script in the apply transaction and commits it only if every operation gives the outcome
     * the application saw ({@link TransactionCommit}).
     *
     * @return as {@link #apply(long, long, WriteRequest, ClientCall)}: an empty {@link WriteResult} (committed) or
     *         an {@link ErrorReply} 40001 naming the first operation that differed (nothing applied; retry)
     * @throws StoreFailureException for failures of this replica: the caller must stop it
     */
    public Optional<Reply> apply(long term, long index, TxCommitRequest commit, ClientCall call) {
        synchronized (writer.lock) {
            return applyOnce(term, index, call, () -> new NewEntry(false,
                    () -> TransactionCommit.apply(writer, deepStack, term, index, commit, call)));
        }
    }

    /** An entry not applied before: whether it holds DDL, and how to apply it. */
    private record NewEntry(boolean hasDdl, Supplier<Reply> apply) {
    }

    /** What every log entry goes through: replays and repeated calls are answered, new entries applied. */
    private Optional<Reply> applyOnce(long term, long index, ClientCall call,
                                      Supplier<NewEntry> classify) {
        writer.checkWritable();
        Optional<Reply> earlier = earlierReply(call, index);
        if (writer.appliedAlready(index)) {
            return earlier;
        }
        NewEntry entry = classify.get();
        writer.setLockTimeout(entry.hasDdl() ? H2Sessions.DDL_LOCK_TIMEOUT_MILLIS : H2Sessions.DML_LOCK_TIMEOUT_MILLIS);
        if (earlier.isPresent()) {
            LOG.info("log entry {} repeats {} (already applied): not applied again, answered with the original "
                    + "reply", index, call);
            writer.recordRejected(term, index);
            return earlier;
        }
        if (entry.hasDdl()) {
            writer.schemaChanging(); // before it runs: a pin overlapping it must fail
        }
        return Optional.of(entry.apply().get());
    }

    private Reply applyNew(long term, long index, ClassifiedEntry classified, ClientCall call, boolean hasDdl) {
        Connection session = writer.connection();
        try {
            EntryApplier.AppliedOrRefused outcome = applier.apply(index, classified);
            if (outcome instanceof EntryApplier.Refused refused) {
                writer.recordRejected(term, index, call, refused.error());
                return refused.error();
            }
            WriteResult result = new WriteResult(index, ((EntryApplier.Applied) outcome).results());
            writer.commitApplied(term, index, call, result);
            if (hasDdl) {
                H2Sessions.grantReaderOnAllSchemas(session); // a new schema must be readable by queries
            }
            return result;
        } catch (SQLException e) {
            if (H2ErrorClassifier.isReplicaFailure(e, hasDdl)) {
                throw writer.fail("applying log entry " + index + " failed on this replica", e);
            }
            ErrorReply error = H2ErrorClassifier.toReply(e);
            writer.recordRejected(term, index, call, error);
            return error;
        } catch (StoreFailureException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw writer.fail("unexpected failure applying log entry " + index + ": " + e, e);
        }
    }

    /**
     * Runs an interactive transaction's next operation speculatively ({@link Speculation}): under the apply lock,
     * between two entries, at the current applied index; nothing of it remains. Any thread may call it; it waits
     * for an entry being applied.
     *
     * @return a {@link org.lockstepdb.protocol.TxStatementResult} (the operation's result and outcome, the
     *         transaction's stamp, the applied index it ran at), or an {@link ErrorReply}: 40001 a replayed
     *         operation gives another outcome now, 54000 result too large, 57014 time limit, 08003 closed
     * @throws StoreFailureException if the speculative transaction could not be undone (the replica stops)
     */
    public Reply speculate(TxStatementRequest request) {
        synchronized (writer.lock) {
            if (writer.isClosed() || writer.isFailed()) {
                return storeClosed();
            }
            try {
                return deepStack.call(() -> speculation.run(request, writer.applied().index()));
            } catch (SQLException | RuntimeException | Error e) {
                throw writer.fail("a speculative transaction could not be undone on this replica", e);
            }
        }
    }

    /** The stored reply of {@code call}; empty if there is no call or it is not (or no longer) recorded. */
    private Optional<Reply> earlierReply(ClientCall call, long index) {
        if (call == null) {
            return Optional.empty();
        }
        try {
            Optional<Reply> reply = ClientCallsTable.find(writer.connection(), call);
            writer.connection().commit(); // end the read: apply starts every entry in a fresh transaction
            return reply;
        } catch (SQLException | RuntimeException e) {
            throw writer.fail("reading the client calls for log entry " + index + " failed", e);
        }
    }

    /**
     * Operator recovery: records entry {@code index} as rejected without running any of it, as if every statement
     * had failed. Only for an entry every replica fails to apply (see the server's {@code --skip-log-entry}).
     *
     * @return empty when {@code index} is not above the stored applied index (skipped before); otherwise the
     *         error reply (SQLState {@code 57L01}) that a client waiting for the entry receives
     */
    public Optional<Reply> skip(long term, long index) {
        synchronized (writer.lock) {
            writer.checkWritable();
            if (writer.appliedAlready(index)) {
                return Optional.empty();
            }
            writer.recordRejected(term, index);
            LOG.warn("log entry {} was skipped by operator recovery: recorded as rejected, nothing of it applied", index);
            return Optional.of(new ErrorReply(StoreSqlStates.SKIPPED_BY_OPERATOR, 0, "log entry " + index
                    + " was skipped by operator recovery (--skip-log-entry): nothing of it was applied on any replica"));
        }
    }

    /**
     * Runs a read-only query on its own H2 session, concurrently with apply.
     *
     * @return a {@link org.lockstepdb.protocol.QueryResult}, or an {@link ErrorReply}: H2's error, or the store's
     *         own ({@link StoreSqlStates}): 08003 closed, 57P03 a restore is swapping the database (retry), HYT00
     *         no query session free within the query wait, 57014 interrupted or cancelled, XX000 unexpected failure
     */
    public Reply query(QueryRequest request) {
        if (writer.isClosed()) {
            return storeClosed();
        }
        Optional<QueryPool.Lease> borrowed;
        try {
            borrowed = queryPool.borrow(options.queryWaitMillis());
        } catch (SQLException e) {
            return H2ErrorClassifier.toReply(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ErrorReply(StoreSqlStates.QUERY_CANCELED, 0, "interrupted while waiting for a query session");
        }
        if (borrowed.isEmpty()) {
            return noQuerySession();
        }
        try (QueryPool.Lease lease = borrowed.get()) {
            try {
                return queryRunner.run(lease.connection(), request);
            } catch (SQLException e) {
                if (H2ErrorClassifier.isReplicaFailure(e)) {
                    lease.discard(); // the session may be unusable; the pool opens a fresh one
                }
                return H2ErrorClassifier.toReply(e);
            } catch (StackOverflowError e) {
                // H2's JDBC layer lets Errors through: a query nested deeper than this thread's stack
                lease.discard();
                return H2ErrorClassifier.tooDeeplyNested();
            } catch (RuntimeException e) {
                lease.discard();
                LOG.warn("query failed unexpectedly: {}", request.sql(), e);
                return new ErrorReply(StoreSqlStates.INTERNAL_ERROR, 0, "internal error running the query: " + e);
            }
        }
    }

    /** Why the pool gave no session: the store closed, a restore swaps the database, or all are busy. */
    private ErrorReply noQuerySession() {
        if (writer.isClosed()) {
            return storeClosed();
        }
        if (restoring) {
            return new ErrorReply(StoreSqlStates.RESTORE_IN_PROGRESS, 0,
                    "the database is being restored from a backup; retry the query");
        }
        return new ErrorReply(StoreSqlStates.NO_QUERY_SESSION, 0, "too many concurrent queries: no query session "
                + "became free within " + options.queryWaitMillis() + " ms");
    }

    private static ErrorReply storeClosed() {
        return new ErrorReply(StoreSqlStates.STORE_CLOSED, 0, "the SQL store is closed");
    }

    /**
     * Cancels the query a client runs under {@code queryId} ({@link QueryRequest#queryId()}): H2 stops it and it
     * fails with 57014. A cancel that arrives before the query starts makes it fail when it starts.
     *
     * @return true if the query was running
     */
    public boolean cancelQuery(String queryId) {
        return queryRunner.cancel(queryId);
    }

    /**
     * A restore through the log commits: closes every session, swaps the database built in
     * {@link DatabaseSwap#buildDir} in, reopens; the store is usable again afterwards. Called under the apply lock.
     */
    private void swapInAndReopen(long index) {
        try {
            checksums.runWithoutSession(() -> { // no checksum session may reopen the files during the swap
                restoring = true;
                writer.schemaChanging(); // pins on the old database must fail
                try {
                    queryPool.close();
                    speculation.close();
                    if (!writer.shutdownH2()) {
                        throw new IOException("H2 SHUTDOWN of the old database failed");
                    }
                    H2Sessions.closeQuietly(writer.connection());
                    DatabaseSwap.swapIn(directory.root(), false);
                    staging.deleteAll(); // the new database stages nothing
                    openDatabase();
                } finally {
                    restoring = false;
                }
            });
        } catch (IOException | SQLException | RuntimeException e) {
            throw writer.fail("swapping in the restored database at entry " + index + " failed", e);
        }
    }

    /** Clean shutdown: closes every session, shuts H2 down, then writes the clean-shutdown marker. */
    @Override
    public void close() {
        synchronized (writer.lock) {
            if (writer.isClosed()) {
                return;
            }
            writer.markClosed();
            directory.markOpen(false);
            queryPool.close();
            speculation.close();
            checksums.close();
            boolean clean = !writer.isFailed() && writer.shutdownH2();
            H2Sessions.closeQuietly(writer.connection());
            deepStack.close();
            if (!clean) {
                LOG.warn("SQL store {} closed without a clean shutdown: the next start rebuilds it from the log",
                        directory.h2Dir());
                return;
            }
            try {
                directory.writeCleanShutdownMarker();
                LOG.info("SQL store {} closed cleanly at applied index {}", directory.h2Dir(), appliedIndex());
                discardCrashCopies(); // the closed database is trusted from now on
            } catch (IOException e) {
                LOG.warn("cannot write the clean-shutdown marker; the next start rebuilds the store from the log", e);
            }
        }
    }
}
