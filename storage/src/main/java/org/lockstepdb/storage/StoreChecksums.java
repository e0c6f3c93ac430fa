package org.lockstepdb.storage;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Checksums of a store's user data ({@link ChecksumCalculator}): computed now on a session of their own, or
 * pinned on the apply thread and computed later on another ({@link ChecksumPin}). Obtained from
 * {@link SqlStore#checksums()}; any thread may call it, concurrently with apply.
 */
public final class StoreChecksums {
    /** Concurrent DDL can break a table scan; the computation is retried this many times in all. */
    private static final int ATTEMPTS = 3;

    private final ApplySession writer;
    private final H2Sessions sessions;
    private final Object lock = new Object();
    private Connection session; // guarded by lock, opened on first use

    StoreChecksums(ApplySession writer, H2Sessions sessions) {
        this.writer = writer;
        this.sessions = sessions;
    }

    /** Deterministic checksum (hex) of all user schemas: table definitions, rows, sequences and views. */
    public String checksum() {
        return consistentChecksum().hex();
    }

    /**
     * The checksum together with the applied index it was computed at, read in one snapshot. Identity and
     * sequence values are read when the computation reaches them, not at the snapshot (H2 keeps them outside
     * transactions): exact while nothing is applied or speculated meanwhile; {@link #pin()} is exact always.
     *
     * @throws StoreFailureException if it could not be computed (e.g. DDL kept changing the schema meanwhile, or
     *                               the store closed)
     */
    public Checksum consistentChecksum() {
        synchronized (lock) {
            SQLException last = null;
            for (int attempt = 0; attempt < ATTEMPTS && !writer.isClosed(); attempt++) {
                try {
                    if (session == null) {
                        session = sessions.openSnapshotOwnerSession();
                    }
                    try {
                        return ChecksumCalculator.compute(session);
                    } finally {
                        session.rollback();
                    }
                } catch (SQLException e) {
                    last = e;
                    closeSession();
                }
            }
            throw new StoreFailureException("cannot compute the checksum" + (writer.isClosed() ? ": store closed" : ""), last);
        }
    }

    /**
     * Pins the current state for a checksum computed later on another thread ({@link ChecksumPin#compute()}).
     * Call it on the apply thread, between entries: it opens one session and reads the applied index, which
     * fixes the snapshot the checksum reads.
     *
     * @throws IOException if the store is closed or failed, or H2 refused the session
     */
    public ChecksumPin pin() throws IOException {
        return PinnedState.open(writer, sessions, "checksum",
                c -> new ChecksumPin(PinnedState.pinHere(c, writer), ChecksumCalculator.readCatalog(c)));
    }

    /** Something that runs while no checksum session is open. */
    interface WithoutSession {
        void run() throws IOException, SQLException;
    }

    /**
     * Closes the checksum session and runs {@code action} while none may open (a restore swapping the database
     * files): checksums asked for meanwhile wait.
     */
    void runWithoutSession(WithoutSession action) throws IOException, SQLException {
        synchronized (lock) {
            closeSession();
            action.run();
        }
    }

    /** Closes the checksum session (the store closes); a later checksum finds the store closed. */
    void close() {
        synchronized (lock) {
            closeSession();
        }
    }

    private void closeSession() {
        H2Sessions.closeQuietly(session);
        session = null;
    }
}
