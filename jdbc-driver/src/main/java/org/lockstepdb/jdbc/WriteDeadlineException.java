package org.lockstepdb.jdbc;

import java.io.IOException;

/**
 * A write was not acknowledged before its deadline although it was retried all along; it may or may not have
 * been applied. Carries what the retries saw, for the SQLException's message.
 */
final class WriteDeadlineException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long budgetMillis;
    private final long elapsedMillis;
    private final int attempts;

    WriteDeadlineException(long budgetMillis, long elapsedMillis, int attempts, Throwable lastFailure) {
        super("within its " + budgetMillis + " ms deadline: " + attempts + " attempt(s) over " + elapsedMillis
                + " ms"
                + (lastFailure == null ? "" : "; last failure: " + PeerDiscovery.describe(lastFailure)), lastFailure);
        this.budgetMillis = budgetMillis;
        this.elapsedMillis = elapsedMillis;
        this.attempts = attempts;
    }

    long budgetMillis() {
        return budgetMillis;
    }

    long elapsedMillis() {
        return elapsedMillis;
    }

    int attempts() {
        return attempts;
    }
}
