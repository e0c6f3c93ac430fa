package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.Constants;
import org.h2.engine.SessionLocal;
import org.h2.schema.Schema;
import org.h2.schema.Sequence;

/**
 * Keeps every sequence's metadata row at the end of its cached range after DDL, so that a clean restart resumes
 * every sequence and identity column exactly where it stopped.
 *
 * <p>Why: H2 2.5.252 hands out sequence values from a range cached in memory and writes the range's end (the
 * "margin") to the sequence's metadata row only when a value crosses it; a clean close writes the current value,
 * but only if it differs from the margin. {@code ALTER TABLE … ADD/DROP/ALTER COLUMN} on a table with an identity
 * column rewrites that sequence's row with its <em>current</em> value and leaves the cached margin as it was. If
 * later inserts then stop exactly at the margin, no write happens before or at the close, and the reopened
 * database starts again from the value of the ALTER TABLE: it hands out identity values a second time. Whether
 * that happens depends on where the cached range ends, which differs on a replica rebuilt from a snapshot (its
 * sequences start a fresh range) from one that never was; so one replica lost values and diverged (fuzzer seed
 * 4, Known.IDENTITY). Rewriting every sequence's row with its margin after each DDL statement restores H2's own
 * invariant (the row is the margin) whatever the DDL did.
 */
final class SequenceRows {
    private SequenceRows() {
    }

    /**
     * Rewrites the metadata row of every persistent sequence (named or behind an identity column) from its cached
     * margin, in H2's system session, committed. Call on the apply thread after a DDL statement ran (or failed).
     *
     * @throws StoreFailureException if H2 cannot write its metadata: the replica must stop
     */
    static void realignAfterDdl(Connection applySession) throws SQLException {
        SessionLocal session = H2Internals.session(applySession);
        try {
            for (Schema schema : session.getDatabase().getAllSchemas()) {
                if (schema.getId() == Constants.INFORMATION_SCHEMA_ID) {
                    continue;
                }
                for (Sequence s : schema.getAllSequences()) {
                    if (!s.isTemporary()) {
                        // RESTART WITH <margin>: committed by the system session, or inside the apply session's
                        // transaction if that still holds the metadata lock (a failed DDL statement not yet
                        // rolled back), which waiting for that lock would deadlock
                        s.flush(session);
                    }
                }
            }
        } catch (RuntimeException e) {
            throw new StoreFailureException("rewriting the sequences' metadata rows after DDL failed", e);
        }
    }
}
