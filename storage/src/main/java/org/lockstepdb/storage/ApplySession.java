package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one session that writes a store's database, and the applied index it has committed. Every log operation
 * (an entry, an operator skip, a step of a restore through the log) and every pin of the current state runs
 * under {@link #lock}, in log order, and ends with {@link #commitApplied} or {@link #recordRejected}, so the
 * applied index is stored atomically with what the entry did.
 *
 * <p>Shared by {@link SqlStore} (entries, lifecycle), {@link RestoreThroughLog} and the pins
 * ({@link PinnedState}). The connection is replaced when a restore swaps the database, under the lock.
 */
final class ApplySession {
    private static final Logger LOG = LoggerFactory.getLogger(SqlStore.class); // its failures are the store's

    /** Held by every log operation and pin; guards {@link #connection}. */
    final Object lock = new Object();
    private Connection connection;
    private volatile AppliedIndex applied = AppliedIndex.NONE;
    private volatile boolean failed;
    private volatile boolean closed;
    /** Counts schema changes and restores: a pin that overlaps one fails ({@link PinnedState#schemaChanged}). */
    private volatile long ddlGeneration;
    /** The connection's current LOCK_TIMEOUT; set only when an entry needs another. */
    private int lockTimeoutMillis;

    /** Starts writing through {@code c}, whose stored applied index is {@code appliedIndex}; at open and after a swap. */
    void attach(Connection c, AppliedIndex appliedIndex) {
        this.connection = c;
        this.applied = appliedIndex;
        this.lockTimeoutMillis = H2Sessions.DDL_LOCK_TIMEOUT_MILLIS; // what H2Sessions.openApplySession set
    }

    /** The apply connection; use it only under {@link #lock}. */
    Connection connection() {
        return connection;
    }

    AppliedIndex applied() {
        return applied;
    }

    /** True if the entry at {@code index} was applied before (at or below the stored applied index: a replay). */
    boolean appliedAlready(long index) {
        return index <= applied.index();
    }

    boolean isClosed() {
        return closed;
    }

    boolean isFailed() {
        return failed;
    }

    /** From now on every log operation fails; call under {@link #lock}. */
    void markClosed() {
        closed = true;
    }

    long ddlGeneration() {
        return ddlGeneration;
    }

    /** Before a schema change or a restore runs: pins taken before it must fail. */
    void schemaChanging() {
        ddlGeneration++;
    }

    /** @throws StoreFailureException if the store is closed or failed: no log operation may run */
    void checkWritable() {
        if (closed || failed) {
            throw new StoreFailureException("the SQL store is " + (closed ? "closed" : "failed; restart the replica"));
        }
    }

    /** Stores {@code (term, index)} as applied and commits the transaction holding what the entry did. */
    void commitApplied(long term, long index) throws SQLException {
        AppliedIndexTable.write(connection, term, index);
        connection.commit();
        applied = new AppliedIndex(term, index);
    }

    /** As {@link #commitApplied(long, long)}, also recording {@code call} with its reply if not null. */
    void commitApplied(long term, long index, ClientCall call, WriteResult result) throws SQLException {
        if (call != null) {
            ClientCallsTable.record(connection, call, index, result);
        }
        commitApplied(term, index);
    }

    /**
     * Undoes everything the entry did, then stores its index in a commit of its own: re-running a rejected
     * entry on replay would only give the same error again.
     */
    void recordRejected(long term, long index) {
        recordRejected(term, index, null, null);
    }

    /** As {@link #recordRejected(long, long)}, also recording {@code call} with its error reply if not null. */
    void recordRejected(long term, long index, ClientCall call, ErrorReply error) {
        try {
            connection.rollback();
            if (call != null) {
                ClientCallsTable.record(connection, call, index, error);
            }
            commitApplied(term, index);
        } catch (SQLException e) {
            throw fail("cannot record rejected log entry " + index, e);
        }
    }

    void setLockTimeout(int millis) {
        if (millis == lockTimeoutMillis) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("SET LOCK_TIMEOUT " + millis);
            lockTimeoutMillis = millis;
        } catch (SQLException e) {
            throw fail("cannot set the apply session's lock timeout", e);
        }
    }

    /** Marks the store failed (it accepts no more writes) and returns the exception to throw. */
    StoreFailureException fail(String message, Throwable cause) {
        failed = true;
        LOG.error("{}: the SQL store stops accepting writes; the replica must restart and rebuild from the log",
                message, cause);
        return new StoreFailureException(message + ": " + cause, cause);
    }

    /** Shuts H2 down through the apply connection: returns when H2 has written and closed the database files. */
    boolean shutdownH2() {
        try (Statement s = connection.createStatement()) {
            connection.rollback();
            s.execute("SHUTDOWN");
            return true;
        } catch (SQLException e) {
            LOG.warn("H2 SHUTDOWN failed", e);
            return false;
        }
    }
}
