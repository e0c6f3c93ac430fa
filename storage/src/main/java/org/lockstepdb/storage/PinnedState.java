package org.lockstepdb.storage;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The database pinned at the applied index on one owner session in a SNAPSHOT transaction, for work that runs
 * later on another thread while the store keeps applying entries ({@link ChecksumPin}, {@link SnapshotExport}).
 *
 * <p>H2 versions rows, not its schema: a pin cannot survive a schema change or restore applied meanwhile, so
 * {@link #schemaChanged()} tells the user to fail instead of describing a mixed state. {@link #close()} ends the
 * transaction and closes the session; idempotent.
 */
final class PinnedState implements AutoCloseable {
    private final Connection connection;
    private final AppliedIndex appliedIndex;
    private final ApplySession writer;
    private final long pinnedDdlGeneration;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PinnedState(Connection connection, AppliedIndex appliedIndex, ApplySession writer) {
        this.connection = connection;
        this.appliedIndex = appliedIndex;
        this.writer = writer;
        this.pinnedDdlGeneration = writer.ddlGeneration();
    }

    /** What a pin does on its fresh session, under the apply lock; {@link #pinHere} fixes the snapshot. */
    interface Pinning<T> {
        T pin(Connection session) throws SQLException, IOException;
    }

    /**
     * Pins the current state: on the apply thread, between entries. Opens an owner session in SNAPSHOT isolation
     * and runs {@code pinning} on it under the apply lock; the session is closed if that fails.
     *
     * @param purpose what the pin is for, in messages ("checksum", "snapshot")
     * @throws IOException if the store is closed or failed, H2 refused the session or a statement
     *                     ({@code "cannot pin the database for a <purpose>: …"}), or {@code pinning} refused
     */
    static <T> T open(ApplySession writer, H2Sessions sessions, String purpose, Pinning<T> pinning) throws IOException {
        synchronized (writer.lock) {
            if (writer.isClosed() || writer.isFailed()) {
                throw new IOException("cannot " + purpose + ": the SQL store is " + (writer.isClosed() ? "closed" : "failed"));
            }
            Connection c = null;
            try {
                c = sessions.openSnapshotOwnerSession();
                return pinning.pin(c);
            } catch (SQLException e) {
                H2Sessions.closeQuietly(c);
                throw new IOException("cannot pin the database for a " + purpose + ": " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                H2Sessions.closeQuietly(c);
                throw e;
            }
        }
    }

    /**
     * Reads the applied index as the first statement of the session's transaction, which fixes the snapshot
     * every later read of the transaction sees. Call inside {@link Pinning#pin}.
     */
    static PinnedState pinHere(Connection session, ApplySession writer) throws SQLException {
        AppliedIndex pinned = AppliedIndexTable.read(session);
        if (!pinned.equals(writer.applied())) {
            throw new IllegalStateException("pinned " + pinned + " but applied is " + writer.applied());
        }
        return new PinnedState(session, pinned, writer);
    }

    Connection connection() {
        return connection;
    }

    /** The term and index of the last entry the pinned state holds. */
    AppliedIndex appliedIndex() {
        return appliedIndex;
    }

    /** True if a schema change or restore was applied since the pin: what was read may mix two states. */
    boolean schemaChanged() {
        return writer.ddlGeneration() != pinnedDdlGeneration;
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // closing anyway
        }
        H2Sessions.closeQuietly(connection);
    }
}
