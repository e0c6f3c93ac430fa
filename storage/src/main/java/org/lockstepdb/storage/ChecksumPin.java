package org.lockstepdb.storage;

import java.io.IOException;
import java.sql.SQLException;

/**
 * The database pinned at one applied index for a checksum, so the (long) computation can run on another thread
 * while the store keeps applying entries, and still describe exactly that index.
 *
 * <p>Obtained from {@link StoreChecksums#pin()} on the apply thread (cheap: one session, one read). Like a
 * {@link SnapshotExport} it cannot survive a schema change or restore applied while it runs (see
 * {@link PinnedState}): {@link #compute()} then fails instead of returning a checksum of a mixed state.
 * Single use; {@link #compute()} and {@link #close()} release the pinned session.
 */
public final class ChecksumPin implements AutoCloseable {
    private final PinnedState pinned;
    private final ChecksumCalculator.Catalog catalog;

    /** @param catalog read at pin time, under the apply lock (see {@link ChecksumCalculator.Catalog}) */
    ChecksumPin(PinnedState pinned, ChecksumCalculator.Catalog catalog) {
        this.pinned = pinned;
        this.catalog = catalog;
    }

    /** The term and index of the last entry the checksum covers. */
    public AppliedIndex appliedIndex() {
        return pinned.appliedIndex();
    }

    /**
     * Computes the checksum of the pinned state (the same value {@link StoreChecksums#consistentChecksum()} gives
     * at that index). May take long; call it off the apply thread.
     *
     * @throws IOException if a schema change or restore was applied meanwhile, or the store closed; compute a
     *                     new one then
     * @throws IllegalStateException if called twice or after {@link #close()}
     */
    public Checksum compute() throws IOException {
        if (pinned.isClosed()) {
            throw new IllegalStateException("a ChecksumPin can be computed only once, and not after close()");
        }
        long index = pinned.appliedIndex().index();
        try {
            Checksum checksum = ChecksumCalculator.compute(pinned.connection(), index, catalog);
            checkSchemaUnchanged();
            return checksum;
        } catch (SQLException e) {
            checkSchemaUnchanged(); // a concurrent DROP TABLE shows up as an SQL error: say why
            throw new IOException("checksum at index " + index + " failed: " + e.getMessage(), e);
        } finally {
            close();
        }
    }

    private void checkSchemaUnchanged() throws IOException {
        if (pinned.schemaChanged()) {
            throw new IOException("checksum at index " + pinned.appliedIndex().index() + " not computed: a schema "
                    + "change or restore was applied while it ran");
        }
    }

    /** Releases the pinned snapshot. Idempotent. */
    @Override
    public void close() {
        pinned.close();
    }
}
