package org.lockstepdb.guard;

import org.lockstepdb.protocol.sql.SqlRefusal;

/** Internal: a rejection found by the guard's own rules; becomes an {@code ErrorReply}. No stack trace. */
final class Rejected extends SqlRefusal {
    Rejected(String sqlState, String message) {
        super(sqlState, message);
    }
}
