package org.lockstepdb.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.SqlKind;
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
 */
public final class SqlStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqlStore.class);

    private final StoreDirectory directory;
    private final H2Sessions sessions;
    private final StoreOptions options;
    private final boolean recoveredFromCrash;
    private final Connection applySession;
    private final EntryApplier applier;
    private final QueryPool queryPool;
    private final QueryRunner queryRunner;
    private final Object applyLock = new Object();
    private final Object checksumLock = new Object();
    private Connection checksumSession; // guarded by checksumLock, opened on first use
    private volatile AppliedIndex applied;
    private volatile boolean failed;
    private volatile boolean closed;

    private SqlStore(StoreDirectory directory, StoreOptions options, boolean recoveredFromCrash) throws SQLException {
        this.directory = directory;
        this.options = options;
        this.recoveredFromCrash = recoveredFromCrash;
        this.sessions = new H2Sessions(directory);
        this.applySession = sessions.openApplySession();
        try {
            AppliedIndexTable.create(applySession);
            H2Sessions.grantReaderOnAllSchemas(applySession);
            this.applied = AppliedIndexTable.read(applySession);
            applySession.commit();
        } catch (SQLException | RuntimeException e) {
            H2Sessions.closeQuietly(applySession);
            throw e;
        }
        this.applier = new EntryApplier(applySession);
        this.queryPool = new QueryPool(sessions, options.queryConnections());
        this.queryRunner = new QueryRunner(options);
    }

    /** Opens (creating if needed) the replica's database under dir (H2 files in dir/h2/). */
    public static SqlStore open(Path dir) throws IOException {
        return open(dir, StoreOptions.defaults());
    }

    public static SqlStore open(Path dir, StoreOptions options) throws IOException {
        StoreDirectory directory = new StoreDirectory(dir);
        boolean crashed = directory.prepareForOpen();
        try {
            SqlStore store = new SqlStore(directory, options, crashed);
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

    public StoreOptions options() {
        return options;
    }

    /**
     * Applies one log entry atomically with the update of the stored applied index.
     *
     * @return null when {@code index} is not above the stored applied index (already applied: replay after a
     *         restart); otherwise a {@link WriteResult} (logIndex = index) or an {@link ErrorReply}
     * @throws StoreFailureException for failures of this replica (I/O, disk full, corruption, closed database,
     *                               out of memory): the caller must stop the replica rather than diverge
     */
    public Reply apply(long term, long index, WriteRequest entry) {
        synchronized (applyLock) {
            if (closed || failed) {
                throw new StoreFailureException("the SQL store is " + (closed ? "closed" : "failed; restart the replica"));
            }
            if (index <= applied.index()) {
                return null;
            }
            try {
                EntryApplier.Outcome outcome = applier.apply(index, entry);
                if (outcome instanceof EntryApplier.Refused refused) {
                    recordRejected(term, index);
                    return refused.error();
                }
                AppliedIndexTable.write(applySession, term, index);
                applySession.commit();
                applied = new AppliedIndex(term, index);
                if (hasDdl(entry)) {
                    H2Sessions.grantReaderOnAllSchemas(applySession); // a new schema must be readable by queries
                }
                return new WriteResult(index, ((EntryApplier.Applied) outcome).results());
            } catch (SQLException e) {
                if (SqlErrors.isReplicaFailure(e)) {
                    throw fail("applying log entry " + index + " failed on this replica", e);
                }
                recordRejected(term, index);
                return SqlErrors.toReply(e);
            } catch (StoreFailureException e) {
                throw e;
            } catch (RuntimeException | Error e) {
                throw fail("unexpected failure applying log entry " + index, e);
            }
        }
    }

    /**
     * Undoes everything the entry did, then stores its index in a commit of its own: re-running a rejected
     * entry on replay would only give the same error again.
     */
    private void recordRejected(long term, long index) {
        try {
            applySession.rollback();
            AppliedIndexTable.write(applySession, term, index);
            applySession.commit();
            applied = new AppliedIndex(term, index);
        } catch (SQLException e) {
            throw fail("cannot record rejected log entry " + index, e);
        }
    }

    private static boolean hasDdl(WriteRequest entry) {
        return entry.statements().stream().anyMatch(s -> SqlKind.of(s.sql()) == SqlKind.DDL);
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
            } catch (RuntimeException e) {
                lease.discard();
                LOG.warn("query failed unexpectedly: {}", request.sql(), e);
                return new ErrorReply("XX000", 0, "internal error running the query: " + e);
            }
        }
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

    /** Clean shutdown: closes every session, shuts H2 down, then writes the clean-shutdown marker. */
    @Override
    public void close() {
        synchronized (applyLock) {
            if (closed) {
                return;
            }
            closed = true;
            queryPool.close();
            synchronized (checksumLock) {
                H2Sessions.closeQuietly(checksumSession);
                checksumSession = null;
            }
            boolean clean = !failed && shutdownH2();
            H2Sessions.closeQuietly(applySession);
            if (!clean) {
                LOG.warn("SQL store {} closed without a clean shutdown: the next start rebuilds it from the log",
                        directory.h2Dir());
                return;
            }
            try {
                directory.writeCleanShutdownMarker();
                LOG.info("SQL store {} closed cleanly at applied index {}", directory.h2Dir(), applied);
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
