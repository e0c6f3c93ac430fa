package org.lockstepdb.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's SQL state: an embedded H2 database under {@code dir/h2/}, to which log entries are applied in
 * order, each atomically with the stored applied index, and on which read-only queries run concurrently.
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
 * <p><b>Threads.</b> {@link #apply} must be called by one thread at a time, in log order (it is synchronized
 * anyway). {@link #query} and {@link #checksum} may be called from any thread, concurrently with apply: queries
 * run on a bounded pool of sessions in H2 SNAPSHOT isolation, each seeing one committed state.
 *
 * <p><b>Snapshots, backups, restores.</b> {@link #beginSnapshot()} pins the current state cheaply on the apply
 * thread; the returned {@link SnapshotExport} writes it to a {@link SnapshotFile} on another thread while apply
 * continues. {@link #restoreFrom} replaces a closed store's database with a snapshot file's contents.
 * {@link #stageRestoreChunk}, {@link #commitRestore} and {@link #abortRestore} restore a backup through the log,
 * so that every replica switches at the same index; see {@link RestoreStaging} and {@link DatabaseSwap} for how
 * they stay exactly-once and crash-safe.
 */
public final class SqlStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqlStore.class);

    /** Store directories open in this JVM: restoreFrom and resetEmpty refuse them. */
    private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private final StoreDirectory directory;
    private final H2Sessions sessions;
    private final StoreOptions options;
    private final boolean recoveredFromCrash;
    private final RestoreStaging staging;
    // replaced when a restore through the log swaps the database (under applyLock and checksumLock)
    private Connection applySession;
    private EntryApplier applier;
    private volatile QueryPool queryPool;
    private final QueryRunner queryRunner;
    /** The thread H2 runs log entries' SQL on; lives as long as the store. */
    private final DeepStackThread deepStack;
    private final Object applyLock = new Object();
    private final Object checksumLock = new Object();
    private Connection checksumSession; // guarded by checksumLock, opened on first use
    private volatile AppliedIndex applied;
    private volatile boolean failed;
    private volatile boolean closed;
    /** Counts schema changes and restores: a snapshot export that overlaps one fails. */
    private volatile long ddlGeneration;
    private volatile boolean restoring;

    private SqlStore(StoreDirectory directory, StoreOptions options, boolean recoveredFromCrash) throws SQLException {
        this.directory = directory;
        this.options = options;
        this.recoveredFromCrash = recoveredFromCrash;
        this.sessions = new H2Sessions(directory);
        this.staging = new RestoreStaging(rootOf(directory));
        this.queryRunner = new QueryRunner(options);
        this.deepStack = new DeepStackThread("lockstep-apply-" + rootOf(directory).getFileName());
        try {
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
            AppliedIndexTable.create(session);
            ClientCallsTable.create(session);
            RaftGroupTable.create(session);
            RestoreStaging.createTable(session);
            PlanStatistics.resetToDefaults(session);
            H2Sessions.grantReaderOnAllSchemas(session);
            this.applied = AppliedIndexTable.read(session);
            session.commit();
            staging.deleteOrphans(session);
            session.commit();
        } catch (SQLException | RuntimeException e) {
            H2Sessions.closeQuietly(session);
            throw e;
        }
        this.applySession = session;
        this.lockTimeoutMillis = H2Sessions.DDL_LOCK_TIMEOUT_MILLIS; // what openApplySession set
        this.applier = new EntryApplier(session, deepStack);
        this.queryPool = new QueryPool(sessions, options.queryConnections());
    }

    private static Path rootOf(StoreDirectory directory) {
        return directory.h2Dir().getParent();
    }

    /** Opens (creating if needed) the replica's database under dir (H2 files in dir/h2/). */
    public static SqlStore open(Path dir) throws IOException {
        return open(dir, StoreOptions.defaults());
    }

    public static SqlStore open(Path dir, StoreOptions options) throws IOException {
        StoreDirectory directory = new StoreDirectory(dir);
        DatabaseSwap.recover(rootOf(directory)); // finish or undo a restore a crash interrupted
        boolean crashed = directory.prepareForOpen();
        try {
            SqlStore store = new SqlStore(directory, options, crashed);
            OPEN_DIRECTORIES.add(rootOf(directory));
            LOG.info("Opened SQL store {} at applied index {}{}", directory.h2Dir(), store.applied,
                    crashed ? " (previous run crashed: starting empty, the log replay rebuilds it)" : "");
            return store;
        } catch (SQLException e) {
            throw new IOException("cannot open the H2 database in " + directory.h2Dir() + ": " + e.getMessage(), e);
        }
    }

    public AppliedIndex appliedIndex() {
        return applied;
    }

    /** True if the previous run did not shut down cleanly and its database was discarded on open. */
    public boolean recoveredFromCrash() {
        return recoveredFromCrash;
    }

    /**
     * Binds this database to one Raft group: the first call records {@code groupId}; later calls (later starts)
     * check it. The applied index is a position in that group's log only.
     *
     * @throws IOException if the database was bound to another group (nothing is changed), or H2 fails
     */
    public void bindRaftGroup(String groupId) throws IOException {
        synchronized (applyLock) {
            checkWritable();
            try {
                Optional<String> bound = RaftGroupTable.read(applySession);
                if (bound.isEmpty()) {
                    RaftGroupTable.write(applySession, groupId);
                } else if (!bound.get().equals(groupId)) {
                    applySession.rollback();
                    throw new IOException("the database in " + directory.h2Dir() + " holds the log of Raft group "
                            + bound.get() + " up to index " + applied.index() + ", not of group " + groupId
                            + ": refusing to start, it would skip or misapply this group's entries. Was --cluster "
                            + "changed, or --data pointed at another cluster's replica? Start it with its own cluster "
                            + "name, or give this replica an empty data directory");
                }
                applySession.commit();
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
                        directory.h2Dir(), applied);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete the discarded crash copies next to {}: {}", directory.h2Dir(), e.toString());
        }
    }

    public StoreOptions options() {
        return options;
    }

    /** Applies one log entry that carries no client call (tests, tools): no retry is recognized. */
    public Reply apply(long term, long index, WriteRequest entry) {
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
     * @return when {@code index} is not above the stored applied index (replay after a restart): the original
     *         reply if the call is still remembered, else null; otherwise a {@link WriteResult} (logIndex = the
     *         index it was applied at) or an {@link ErrorReply}
     * @throws StoreFailureException for failures of this replica (I/O, disk full, corruption, closed database,
     *                               out of memory): the caller must stop the replica rather than diverge
     */
    public Reply apply(long term, long index, WriteRequest entry, ClientCall call) {
        synchronized (applyLock) {
            if (closed || failed) {
                throw new StoreFailureException("the SQL store is " + (closed ? "closed" : "failed; restart the replica"));
            }
            Reply earlier = earlierReply(call, index);
            if (index <= applied.index()) {
                return earlier;
            }
            ClassifiedEntry classified = ClassifiedEntry.of(entry); // once per entry: WriteGuard reads it too
            boolean ddl = classified.hasDdl();
            setLockTimeout(ddl ? H2Sessions.DDL_LOCK_TIMEOUT_MILLIS : H2Sessions.DML_LOCK_TIMEOUT_MILLIS);
            if (earlier != null) {
                LOG.info("log entry {} repeats {} (already applied): not applied again, answered with the original "
                        + "reply", index, call);
                recordRejected(term, index, null, null);
                return earlier;
            }
            if (ddl) {
                ddlGeneration++; // before it runs: a snapshot export overlapping it must fail
            }
            try {
                EntryApplier.Outcome outcome = applier.apply(index, classified);
                if (outcome instanceof EntryApplier.Refused refused) {
                    recordRejected(term, index, call, refused.error());
                    return refused.error();
                }
                WriteResult result = new WriteResult(index, ((EntryApplier.Applied) outcome).results());
                if (call != null) {
                    ClientCallsTable.record(applySession, call, index, result);
                }
                AppliedIndexTable.write(applySession, term, index);
                applySession.commit();
                applied = new AppliedIndex(term, index);
                if (ddl) {
                    H2Sessions.grantReaderOnAllSchemas(applySession); // a new schema must be readable by queries
                }
                return result;
            } catch (SQLException e) {
                if (SqlErrors.isReplicaFailure(e, ddl)) {
                    throw fail("applying log entry " + index + " failed on this replica", e);
                }
                ErrorReply error = SqlErrors.toReply(e);
                recordRejected(term, index, call, error);
                return error;
            } catch (StoreFailureException e) {
                throw e;
            } catch (RuntimeException | Error e) {
                throw fail("unexpected failure applying log entry " + index + ": " + e, e);
            }
        }
    }

    /** The stored reply of {@code call}, or null if there is no call or it is not (or no longer) recorded. */
    private Reply earlierReply(ClientCall call, long index) {
        if (call == null) {
            return null;
        }
        try {
            Reply reply = ClientCallsTable.find(applySession, call).orElse(null);
            applySession.commit(); // end the read: apply starts every entry in a fresh transaction
            return reply;
        } catch (SQLException | RuntimeException e) {
            throw fail("reading the client calls for log entry " + index + " failed", e);
        }
    }

    /**
     * Operator recovery: records entry {@code index} as rejected without running any of it, as if every statement
     * had failed. Only for an entry every replica fails to apply (see the server's {@code --skip-log-entry}).
     *
     * @return null when {@code index} is not above the stored applied index; otherwise the error reply (SQLState
     *         {@code 57L01}) that a client waiting for the entry receives
     */
    public Reply skip(long term, long index) {
        synchronized (applyLock) {
            checkWritable();
            if (index <= applied.index()) {
                return null;
            }
            recordRejected(term, index);
            LOG.warn("log entry {} was skipped by operator recovery: recorded as rejected, nothing of it applied", index);
            return new ErrorReply("57L01", 0, "log entry " + index + " was skipped by operator recovery "
                    + "(--skip-log-entry): nothing of it was applied on any replica");
        }
    }

    /**
     * Undoes everything the entry did, then stores its index in a commit of its own: re-running a rejected
     * entry on replay would only give the same error again.
     */
    private void recordRejected(long term, long index) {
        recordRejected(term, index, null, null);
    }

    /** As {@link #recordRejected(long, long)}, also recording {@code call} with its error reply if not null. */
    private void recordRejected(long term, long index, ClientCall call, ErrorReply error) {
        try {
            applySession.rollback();
            if (call != null) {
                ClientCallsTable.record(applySession, call, index, error);
            }
            AppliedIndexTable.write(applySession, term, index);
            applySession.commit();
            applied = new AppliedIndex(term, index);
        } catch (SQLException e) {
            throw fail("cannot record rejected log entry " + index, e);
        }
    }

    /** The apply session's current LOCK_TIMEOUT; set only when an entry needs another. */
    private int lockTimeoutMillis = H2Sessions.DDL_LOCK_TIMEOUT_MILLIS;

    private void setLockTimeout(int millis) {
        if (millis == lockTimeoutMillis) {
            return;
        }
        try (Statement s = applySession.createStatement()) {
            s.execute("SET LOCK_TIMEOUT " + millis);
            lockTimeoutMillis = millis;
        } catch (SQLException e) {
            throw fail("cannot set the apply session's lock timeout", e);
        }
    }

    private StoreFailureException fail(String message, Throwable cause) {
        failed = true;
        LOG.error("{}: the SQL store stops accepting writes; the replica must restart and rebuild from the log",
                message, cause);
        return new StoreFailureException(message + ": " + cause, cause);
    }

    /** Runs a read-only query on its own H2 session, concurrently with apply. */
    public Reply query(QueryRequest request) {
        if (closed) {
            return new ErrorReply("08003", 0, "the SQL store is closed");
        }
        QueryPool.Lease lease;
        try {
            lease = queryPool.borrow(options.queryWaitMillis());
        } catch (SQLException e) {
            return SqlErrors.toReply(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ErrorReply("57014", 0, "interrupted while waiting for a query session");
        }
        if (lease == null && closed) {
            return new ErrorReply("08003", 0, "the SQL store is closed");
        }
        if (lease == null && restoring) {
            return new ErrorReply("57P03", 0, "the database is being restored from a backup; retry the query");
        }
        if (lease == null) {
            return new ErrorReply("HYT00", 0, "too many concurrent queries: no query session became free within "
                    + options.queryWaitMillis() + " ms");
        }
        try (lease) {
            try {
                return queryRunner.run(lease.connection(), request);
            } catch (SQLException e) {
                if (SqlErrors.isReplicaFailure(e)) {
                    lease.discard(); // the session may be unusable; the pool opens a fresh one
                }
                return SqlErrors.toReply(e);
            } catch (StackOverflowError e) {
                // H2's JDBC layer lets Errors through: a query nested deeper than this thread's stack
                lease.discard();
                return SqlErrors.tooDeeplyNested();
            } catch (RuntimeException e) {
                lease.discard();
                LOG.warn("query failed unexpectedly: {}", request.sql(), e);
                return new ErrorReply("XX000", 0, "internal error running the query: " + e);
            }
        }
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

    /** Deterministic checksum (hex) of all user schemas: table definitions, rows, sequences and views. */
    public String checksum() {
        return consistentChecksum().hex();
    }

    /**
     * The checksum together with the applied index it was computed at, read in one snapshot.
     *
     * @throws StoreFailureException if it could not be computed (e.g. DDL kept changing the schema meanwhile)
     */
    public Checksum consistentChecksum() {
        synchronized (checksumLock) {
            SQLException last = null;
            for (int attempt = 0; attempt < 3 && !closed; attempt++) { // concurrent DDL can break a table scan
                try {
                    if (checksumSession == null) {
                        checksumSession = sessions.openSnapshotOwnerSession();
                    }
                    try {
                        return ChecksumCalculator.compute(checksumSession);
                    } finally {
                        checksumSession.rollback();
                    }
                } catch (SQLException e) {
                    last = e;
                    H2Sessions.closeQuietly(checksumSession);
                    checksumSession = null;
                }
            }
            throw new StoreFailureException("cannot compute the checksum" + (closed ? ": store closed" : ""), last);
        }
    }

    /**
     * Pins the current state for a checksum computed later on another thread ({@link ChecksumPin#compute()}).
     * Call it on the apply thread, between entries: it opens one session and reads the applied index, which
     * fixes the snapshot the checksum reads.
     *
     * @throws IOException if the store is closed or failed, or H2 refused the session
     */
    public ChecksumPin pinChecksum() throws IOException {
        synchronized (applyLock) {
            if (closed || failed) {
                throw new IOException("cannot checksum: the SQL store is " + (closed ? "closed" : "failed"));
            }
            Connection c = null;
            try {
                c = sessions.openSnapshotOwnerSession();
                AppliedIndex pinned = AppliedIndexTable.read(c); // first statement of the transaction: pins it
                if (!pinned.equals(applied)) {
                    throw new IllegalStateException("pinned " + pinned + " but applied is " + applied);
                }
                return new ChecksumPin(c, pinned, () -> ddlGeneration);
            } catch (SQLException e) {
                H2Sessions.closeQuietly(c);
                throw new IOException("cannot pin the database for a checksum: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                H2Sessions.closeQuietly(c);
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------- snapshots, backups, restores

    /**
     * Pins the current state for a snapshot or backup. Call it on the apply thread, between entries: it takes
     * one H2 connection, reads the schema script and the applied index in a SNAPSHOT transaction, and returns.
     * Then {@link SnapshotExport#writeTo(Path)} may run on another thread while apply continues.
     *
     * @throws IOException if the store is closed or failed, or a restore is being staged through the log (a
     *                     snapshot must never fall between the chunks of a restore; commit or abort it first)
     */
    public SnapshotExport beginSnapshot() throws IOException {
        synchronized (applyLock) {
            if (closed || failed) {
                throw new IOException("cannot snapshot: the SQL store is " + (closed ? "closed" : "failed"));
            }
            Connection c = null;
            try {
                c = sessions.openSnapshotOwnerSession();
                if (!RestoreStaging.list(c).isEmpty()) { // cheap early refusal, before the schema capture below
                    throw new IOException("cannot snapshot while a restore is being staged through the log; "
                            + "commit or abort it first");
                }
                List<String> schemas = userSchemas(c);
                List<String> ddl = DumpAssembler.captureDdl(c, schemas); // SCRIPT commits: the pin comes next
                AppliedIndex pinned = AppliedIndexTable.read(c); // first statement of the transaction: pins it
                List<StagedRestore> staged = RestoreStaging.list(c);
                if (!staged.isEmpty()) {
                    throw new IOException("cannot snapshot while a restore is being staged through the log ("
                            + staged.get(0).restoreId() + "); commit or abort it first");
                }
                if (!pinned.equals(applied)) {
                    throw new IllegalStateException("pinned " + pinned + " but applied is " + applied);
                }
                return new SnapshotExport(c, pinned, schemas, ddl, () -> ddlGeneration, System.currentTimeMillis());
            } catch (SQLException e) {
                H2Sessions.closeQuietly(c);
                throw new IOException("cannot begin a snapshot: " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                H2Sessions.closeQuietly(c);
                throw e;
            }
        }
    }

    private static List<String> userSchemas(Connection c) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME "
                     + SystemSchemas.NOT_IN_USER_DATA + " ORDER BY SCHEMA_NAME")) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        return schemas;
    }

    /**
     * Replaces the database of a closed store with a snapshot/backup file's contents; the next {@link #open}
     * finds the applied index of the file's header. The file is verified first: if it is invalid nothing
     * changes. The new database is built in {@code storeDir/h2-restoring} and swapped in crash-safely (see
     * {@link DatabaseSwap}): after a crash, the next open sees either the old or the new database.
     *
     * @throws IllegalStateException if the store is open in this JVM
     */
    public static SnapshotHeader restoreFrom(Path storeDir, Path snapshotFile) throws IOException, InvalidSnapshotException {
        return restore(storeDir, snapshotFile, null);
    }

    /**
     * Seeds a brand-new replica's store from a backup for a new cluster: the data of the backup, but applied
     * index "nothing" ({@link AppliedIndex#NONE}), because the new cluster's Raft log starts again at 1 and every
     * entry of it must apply. Every replica of the new cluster must be seeded from the same file.
     */
    public static SnapshotHeader bootstrapFrom(Path storeDir, Path backupFile) throws IOException, InvalidSnapshotException {
        return restore(storeDir, backupFile, AppliedIndex.NONE);
    }

    private static SnapshotHeader restore(Path storeDir, Path snapshotFile, AppliedIndex appliedOverride)
            throws IOException, InvalidSnapshotException {
        Path dir = storeDir.toAbsolutePath().normalize();
        if (OPEN_DIRECTORIES.contains(dir)) {
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
     */
    public static void resetEmpty(Path storeDir) throws IOException {
        Path dir = storeDir.toAbsolutePath().normalize();
        if (OPEN_DIRECTORIES.contains(dir)) {
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
            Files.move(h2, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            FileOps.fsyncDirectory(dir);
            FileOps.deleteRecursively(aside);
        }
        Files.deleteIfExists(dir.resolve(StoreDirectory.MARKER));
        new RestoreStaging(dir).deleteAll();
        FileOps.fsyncDirectory(dir);
    }

    /**
     * Log operation: appends one chunk of a backup being uploaded for a restore. Deterministic and exactly-once
     * with the applied index, like {@link #apply}. A chunk that ends at or below the bytes already staged is a
     * replayed duplicate: accepted, nothing written. A chunk that starts beyond them (a gap) is refused.
     *
     * @return null if already applied; a {@link WriteResult} whose single update count is the number of bytes
     *         now staged; or an {@link ErrorReply}
     * @throws StoreFailureException on a failure of this replica (I/O, disk)
     */
    public Reply stageRestoreChunk(long term, long index, String restoreId, long offset, byte[] bytes) {
        synchronized (applyLock) {
            checkWritable();
            if (index <= applied.index()) {
                return null;
            }
            if (!RestoreStaging.isValidId(restoreId) || offset < 0 || bytes == null) {
                recordRejected(term, index);
                return new ErrorReply("22023", 0, "invalid restore chunk: the restore id must be 1-64 characters "
                        + "of [A-Za-z0-9._-], the offset >= 0 and the bytes present");
            }
            try {
                long recorded = RestoreStaging.stagedBytes(applySession, restoreId);
                long staged = Math.max(recorded, 0);
                if (offset > staged) {
                    recordRejected(term, index);
                    return new ErrorReply("22023", 0, "restore " + restoreId + ": chunk at offset " + offset
                            + " leaves a gap, " + staged + " bytes are staged; resend from offset " + staged);
                }
                long end = offset + bytes.length;
                if (end > staged) {
                    staging.write(restoreId, staged, bytes, (int) (staged - offset));
                }
                if (end > staged || recorded < 0) {
                    RestoreStaging.record(applySession, restoreId, Math.max(end, staged), index);
                }
                AppliedIndexTable.write(applySession, term, index);
                applySession.commit();
                applied = new AppliedIndex(term, index);
                return new WriteResult(index, List.of(new StatementResult(List.of(Math.max(end, staged)), null)));
            } catch (IOException e) {
                throw fail("staging restore chunk " + index + " failed on this replica", e);
            } catch (SQLException e) {
                if (SqlErrors.isReplicaFailure(e)) {
                    throw fail("staging restore chunk " + index + " failed on this replica", e);
                }
                recordRejected(term, index);
                return SqlErrors.toReply(e);
            }
        }
    }

    /**
     * Log operation: replaces the whole database with the staged backup, at this entry. The staged file is
     * verified (format, checksum, and {@code expectedSha256} of the whole file if not null); if it is invalid the
     * restore is refused with an {@link ErrorReply} and the data is unchanged. Otherwise the database becomes
     * the backup's contents with applied index (term, index) of THIS entry (the backup's own header index is only
     * informational), and the store stays open. Queries running at the swap fail and may be retried. Either way
     * the staging of this restore ends; a crash at any point leaves the old or the new database (see
     * {@link DatabaseSwap}), and the old one is then rebuilt from the log as after any crash.
     *
     * @return null if already applied; a {@link WriteResult}; or an {@link ErrorReply}
     */
    public Reply commitRestore(long term, long index, String restoreId, String expectedSha256) {
        synchronized (applyLock) {
            checkWritable();
            if (index <= applied.index()) {
                return null;
            }
            if (!RestoreStaging.isValidId(restoreId)) {
                recordRejected(term, index);
                return new ErrorReply("22023", 0, "invalid restore id");
            }
            long staged;
            try {
                staged = RestoreStaging.stagedBytes(applySession, restoreId);
            } catch (SQLException e) {
                throw fail("reading the staged restore at entry " + index + " failed", e);
            }
            if (staged < 0) {
                recordRejected(term, index);
                return new ErrorReply("22023", 0, "no backup is staged for restore " + restoreId);
            }
            Path file;
            SnapshotHeader header;
            try {
                file = staging.trimmed(restoreId, staged);
                header = SnapshotFile.verify(file);
            } catch (IOException e) {
                throw fail("verifying the staged restore at entry " + index + " failed on this replica", e);
            } catch (InvalidSnapshotException e) {
                return endStaging(term, index, restoreId, new ErrorReply("XX001", 0,
                        "restore refused, the database was not changed: the uploaded backup is invalid: " + e.getMessage()));
            }
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(header.sha256hex())) {
                return endStaging(term, index, restoreId, new ErrorReply("22023", 0, "restore refused, the database "
                        + "was not changed: the uploaded backup's SHA-256 is " + header.sha256hex() + ", expected "
                        + expectedSha256));
            }
            Path root = rootOf(directory);
            long started = System.nanoTime();
            try {
                // the calls remembered come from this cluster's log, not the backup's: a retry of a write made
                // before the restore must still be recognized after it
                DatabaseBuilder.build(DatabaseSwap.buildDir(root), file, new AppliedIndex(term, index), built -> {
                    ClientCallsTable.clear(built);
                    ClientCallsTable.copy(applySession, built);
                });
            } catch (SQLException e) {
                deleteBuildDir(root);
                if (SqlErrors.isReplicaFailure(e)) {
                    throw fail("building the restored database at entry " + index + " failed on this replica", e);
                }
                return endStaging(term, index, restoreId, new ErrorReply(e.getSQLState(), e.getErrorCode(),
                        "restore refused, the database was not changed: the backup does not load: " + e.getMessage()));
            } catch (IOException | RuntimeException e) {
                deleteBuildDir(root);
                throw fail("building the restored database at entry " + index + " failed on this replica", e);
            }
            swapDatabase(root, index);
            LOG.info("Restored the database from backup {} (taken at index {}) at log index {} in {} ms", restoreId,
                    header.index(), index, (System.nanoTime() - started) / 1_000_000);
            return new WriteResult(index, List.of());
        }
    }

    /** Closes every session, swaps the built database in, reopens; the store is usable again afterwards. */
    private void swapDatabase(Path root, long index) {
        synchronized (checksumLock) { // no checksum session may reopen the files during the swap
            restoring = true;
            ddlGeneration++; // exports pinned on the old database must fail
            try {
                queryPool.close();
                H2Sessions.closeQuietly(checksumSession);
                checksumSession = null;
                if (!shutdownH2()) {
                    throw new IOException("H2 SHUTDOWN of the old database failed");
                }
                H2Sessions.closeQuietly(applySession);
                DatabaseSwap.swapIn(root, false);
                staging.deleteAll(); // the new database stages nothing
                openDatabase();
            } catch (IOException | SQLException | RuntimeException e) {
                throw fail("swapping in the restored database at entry " + index + " failed", e);
            } finally {
                restoring = false;
            }
        }
    }

    private static void deleteBuildDir(Path root) {
        try {
            FileOps.deleteRecursively(DatabaseSwap.buildDir(root));
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", DatabaseSwap.buildDir(root), e.toString());
        }
    }

    /** Refuses a restore: forgets its staging and advances the applied index, in one commit. */
    private Reply endStaging(long term, long index, String restoreId, ErrorReply reply) {
        try {
            applySession.rollback();
            RestoreStaging.forget(applySession, restoreId);
            AppliedIndexTable.write(applySession, term, index);
            applySession.commit();
            applied = new AppliedIndex(term, index);
        } catch (SQLException e) {
            throw fail("cannot record refused restore at entry " + index, e);
        }
        staging.deleteFile(restoreId);
        return reply;
    }

    /**
     * Log operation: abandons a staged restore ({@code restoreId} null: all of them) and deletes its file.
     *
     * @return null if already applied; a {@link WriteResult} (also if nothing was staged under the id)
     */
    public Reply abortRestore(long term, long index, String restoreId) {
        synchronized (applyLock) {
            checkWritable();
            if (index <= applied.index()) {
                return null;
            }
            if (restoreId != null && !RestoreStaging.isValidId(restoreId)) {
                recordRejected(term, index);
                return new ErrorReply("22023", 0, "invalid restore id");
            }
            try {
                RestoreStaging.forget(applySession, restoreId);
                AppliedIndexTable.write(applySession, term, index);
                applySession.commit();
                applied = new AppliedIndex(term, index);
                staging.deleteOrphans(applySession);
                return new WriteResult(index, List.of());
            } catch (SQLException e) {
                throw fail("aborting restore at entry " + index + " failed", e);
            }
        }
    }

    /** The restores being staged through the log (as of the last applied entry). Call on the apply thread. */
    public List<StagedRestore> stagedRestores() {
        synchronized (applyLock) {
            checkWritable();
            try {
                List<StagedRestore> all = RestoreStaging.list(applySession);
                applySession.commit();
                return all;
            } catch (SQLException e) {
                throw fail("reading the staged restores failed", e);
            }
        }
    }

    private void checkWritable() {
        if (closed || failed) {
            throw new StoreFailureException("the SQL store is " + (closed ? "closed" : "failed; restart the replica"));
        }
    }

    /** Clean shutdown: closes every session, shuts H2 down, then writes the clean-shutdown marker. */
    @Override
    public void close() {
        synchronized (applyLock) {
            if (closed) {
                return;
            }
            closed = true;
            OPEN_DIRECTORIES.remove(rootOf(directory));
            queryPool.close();
            synchronized (checksumLock) {
                H2Sessions.closeQuietly(checksumSession);
                checksumSession = null;
            }
            boolean clean = !failed && shutdownH2();
            H2Sessions.closeQuietly(applySession);
            deepStack.close();
            if (!clean) {
                LOG.warn("SQL store {} closed without a clean shutdown: the next start rebuilds it from the log",
                        directory.h2Dir());
                return;
            }
            try {
                directory.writeCleanShutdownMarker();
                LOG.info("SQL store {} closed cleanly at applied index {}", directory.h2Dir(), applied);
                discardCrashCopies(); // the closed database is trusted from now on
            } catch (IOException e) {
                LOG.warn("cannot write the clean-shutdown marker; the next start rebuilds the store from the log", e);
            }
        }
    }

    private boolean shutdownH2() {
        try (Statement s = applySession.createStatement()) {
            applySession.rollback();
            s.execute("SHUTDOWN"); // closes the database files; returns when H2 has written and closed them
            return true;
        } catch (SQLException e) {
            LOG.warn("H2 SHUTDOWN failed", e);
            return false;
        }
    }
}
