package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.SessionValues;

/**
 * Sets a client connection's current schema ({@link SessionValues#schema()}) on a shared replica session for the
 * time one entry, commit or speculation runs, so unqualified names resolve as they did for the client, and puts
 * it back to {@code PUBLIC} after: the apply and speculation sessions serve every connection in turn.
 *
 * <p>H2 sets the schema on the session itself (no statement, no commit), so it may happen inside the open
 * transaction. What refuses a schema does so alike on every replica: reserved (42L05) or dropped (90079).
 */
final class SessionSchema {
    private SessionSchema() {
    }

    /**
     * Switches {@code session} to the connection's schema; on success {@link #leave} must follow.
     *
     * @return empty when switched (or nothing to switch); else why the statements may not run (nothing switched):
     *         42L05 a reserved schema, 90079 a schema that does not exist
     * @throws SQLException failures of this replica
     */
    static Optional<ErrorReply> enter(Connection session, SessionValues values) throws SQLException {
        if (values.reservedForWrites()) {
            return Optional.of(values.reservedSchemaRefusal());
        }
        if (values.defaultSchema()) {
            return Optional.empty();
        }
        try {
            session.setSchema(values.schema());
            return Optional.empty();
        } catch (SQLException e) {
            if (H2ErrorClassifier.isReplicaFailure(e)) {
                throw e;
            }
            return Optional.of(H2ErrorClassifier.toReply(e));
        }
    }

    /**
     * Back to {@code PUBLIC} after a transaction's script ran, whatever it started in: its
     * {@link org.lockstepdb.protocol.TxOp.Kind#SET_SCHEMA} operations may have switched the session anywhere.
     */
    static void reset(Connection session) throws SQLException {
        session.setSchema(SessionValues.DEFAULT_SCHEMA);
    }

    /** Back to {@code PUBLIC} after a successful {@link #enter} with the same values. */
    static void leave(Connection session, SessionValues values) throws SQLException {
        if (!values.defaultSchema()) {
            session.setSchema(SessionValues.DEFAULT_SCHEMA);
        }
    }
}
