package org.lockstepdb.storage;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.h2.engine.SessionLocal;
import org.h2.util.DateTimeUtils;
import org.h2.value.ValueTimestampTimeZone;

/**
 * Pins an H2 session's clock for its current transaction: every CURRENT_TIMESTAMP, LOCALTIMESTAMP,
 * CURRENT_DATE and every implicit clock read (a TIME value stored into a TIMESTAMP column takes "today's"
 * date) of the transaction reads the pinned instant instead of the replica's clock.
 *
 * <p>Why reflection: H2 fixes {@code SessionLocal.currentTimestamp} at the first read in a transaction and keeps
 * it until the transaction ends (commit, rollback, also a rollback to a savepoint), but offers no API to set it.
 * Setting the field before the statements run gives every replica, and a speculation and its commit, the same
 * instant. Pin again after anything that ends the transaction or rolls back to a savepoint. H2 version pinned
 * ({@link H2Internals}).
 */
final class SessionClock {
    private static final Field CURRENT_TIMESTAMP =
            H2Internals.field(SessionLocal.class, "currentTimestamp", ValueTimestampTimeZone.class);

    private SessionClock() {
    }

    /** Makes the connection's current transaction see {@code epochMillis} as its clock. */
    static void pin(Connection c, long epochMillis) throws SQLException {
        SessionLocal session = H2Internals.session(c);
        try {
            CURRENT_TIMESTAMP.set(session,
                    DateTimeUtils.currentTimestamp(session.currentTimeZone(), Instant.ofEpochMilli(epochMillis)));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set H2's session clock", e);
        }
    }
}
