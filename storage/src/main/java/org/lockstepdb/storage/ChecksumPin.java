package org.lockstepdb.storage;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The database pinned at one applied index for a checksum, so the (long) computation can run on another thread
 * while the store keeps applying entries, and still describe exactly that index.
 *
 * <p>Obtained from {@link SqlStore#pinChecksum()} on the apply thread (cheap: one session, one read). Like a
 * {@link SnapshotExport} it cannot survive a schema change or restore applied while it runs (H2 does not version
 * its schema like its rows): {@link #compute()} then fails instead of returning a checksum of a mixed state.
 * Single use; {@link #compute()} and {@link #close()} release the pinned session.
 */
public final class ChecksumPin implements AutoCloseable {
    private final Connection connection;
    private final AppliedIndex appliedIndex;
    private final LongSupplier ddlGeneration;
    private final long pinnedDdlGeneration;
    private final AtomicBoolean closed = new AtomicBoolean();

    ChecksumPin(Connection connection, AppliedIndex appliedIndex, LongSupplier ddlGeneration) {
        this.connection = connection;
        this.appliedIndex = appliedIndex;
        this.ddlGeneration = ddlGeneration;
        this.pinnedDdlGeneration = ddlGeneration.getAsLong();
    }

    /** The term and index of the last entry the checksum covers. */
    public AppliedIndex appliedIndex() {
        return appliedIndex;
    }

    /**
     * Computes the checksum of the pinned state (the same value {@link SqlStore#consistentChecksum()} gives at
     * that index). May take long; call it off the apply thread.
     *
     * @throws IOException if a schema change or restore was applied meanwhile, or the store closed; compute a
     *                     new one then
     */
    public Checksum compute() throws IOException {
        if (closed.get()) {
            throw new IllegalStateException("a ChecksumPin can be computed only once, and not after close()");
        }
        try {
            Checksum checksum = ChecksumCalculator.compute(connection);
            if (checksum.appliedIndex() != appliedIndex.index()) {
                throw new IllegalStateException("pinned index " + appliedIndex + " but read " + checksum.appliedIndex());
            }
            checkSchemaUnchanged();
            return checksum;
        } catch (SQLException e) {
            checkSchemaUnchanged(); // a concurrent DROP TABLE shows up as an SQL error: say why
            throw new IOException("checksum at index " + appliedIndex.index() + " failed: " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    private void checkSchemaUnchanged() throws IOException {
        if (ddlGeneration.getAsLong() != pinnedDdlGeneration) {
            throw new IOException("checksum at index " + appliedIndex.index() + " not computed: a schema change or "
                    + "restore was applied while it ran");
        }
    }

    /** Releases the pinned snapshot. Idempotent. */
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
