package org.lockstepdb.guard;

/** Internal: a rejection found while analysing; becomes an {@code ErrorReply}. No stack trace (it is a verdict). */
final class Rejected extends Exception {
    final String sqlState;

    Rejected(String sqlState, String message) {
        super(message, null, false, false);
        this.sqlState = sqlState;
    }
}
