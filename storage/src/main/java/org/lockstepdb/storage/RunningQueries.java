package org.lockstepdb.storage;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The statements running now under a client's query id, so that the client can cancel one ({@code
 * Statement.cancel()} in the driver). A cancel that arrives before its query started (still queued) is
 * remembered for a while, and the query is then refused when it starts.
 */
final class RunningQueries {
    /** How long a cancel that found no running query is remembered. */
    private static final long EARLY_CANCEL_KEPT_NANOS = TimeUnit.MINUTES.toNanos(5);
    /** Bound on remembered early cancels (each is a few bytes). */
    private static final int MAX_EARLY_CANCELS = 10_000;

    private final Map<String, Statement> running = new ConcurrentHashMap<>();
    private final Map<String, Long> cancelledEarly = new ConcurrentHashMap<>();
    private final Map<String, Boolean> cancelledRunning = new ConcurrentHashMap<>();

    /** @return false if the id was cancelled before it started (do not run it) */
    boolean start(String queryId, Statement statement) {
        if (cancelledEarly.remove(queryId) != null) {
            return false;
        }
        running.put(queryId, statement);
        return true;
    }

    /** @return true if the id was cancelled by its client while it ran */
    boolean end(String queryId) {
        running.remove(queryId);
        return cancelledRunning.remove(queryId) != null;
    }

    /**
     * Cancels the statement running under {@code queryId} (H2 stops it at its next check, with 57014).
     *
     * @return true if one was running
     */
    boolean cancel(String queryId) {
        Statement s = running.get(queryId);
        if (s == null) {
            rememberEarly(queryId);
            return false;
        }
        cancelledRunning.put(queryId, Boolean.TRUE);
        try {
            s.cancel();
        } catch (SQLException e) {
            // the statement ended meanwhile: nothing left to cancel
        }
        return true;
    }

    private void rememberEarly(String queryId) {
        long now = System.nanoTime();
        if (cancelledEarly.size() >= MAX_EARLY_CANCELS) {
            for (Iterator<Long> it = cancelledEarly.values().iterator(); it.hasNext(); ) {
                if (now - it.next() > EARLY_CANCEL_KEPT_NANOS) {
                    it.remove();
                }
            }
            if (cancelledEarly.size() >= MAX_EARLY_CANCELS) {
                return; // a client cancelling this much unknown ids gains nothing from being remembered
            }
        }
        cancelledEarly.put(queryId, now);
    }
}
