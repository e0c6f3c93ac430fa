package org.lockstepdb.storage;

/**
 * Tunables of a {@link SqlStore}. None of them can change what a write does (they only bound queries), so
 * replicas may differ in them without diverging.
 *
 * @param maxResultBytes        largest encoded query result a query may return; beyond it the query fails
 *                              with SQLState 54000 instead of exhausting memory
 * @param queryConnections      size of the query connection pool: at most this many queries run at once
 * @param queryWaitMillis       how long a query waits for a free connection before failing with HYT00
 * @param queryTimeoutSeconds   per-query execution limit (0 = none), enforced by H2's statement cancel
 */
public record StoreOptions(long maxResultBytes, int queryConnections, long queryWaitMillis, int queryTimeoutSeconds) {
    public static final long DEFAULT_MAX_RESULT_BYTES = 32L * 1024 * 1024;

    public StoreOptions {
        if (maxResultBytes <= 0) {
            throw new IllegalArgumentException("maxResultBytes must be > 0");
        }
        if (queryConnections < 1 || queryConnections > 256) {
            throw new IllegalArgumentException("queryConnections must be in 1..256");
        }
        if (queryWaitMillis < 0 || queryTimeoutSeconds < 0) {
            throw new IllegalArgumentException("queryWaitMillis and queryTimeoutSeconds must be >= 0");
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DEFAULT_MAX_RESULT_BYTES, 4, 10_000, 0);
    }

    public StoreOptions withMaxResultBytes(long bytes) {
        return new StoreOptions(bytes, queryConnections, queryWaitMillis, queryTimeoutSeconds);
    }

    public StoreOptions withQueryConnections(int n) {
        return new StoreOptions(maxResultBytes, n, queryWaitMillis, queryTimeoutSeconds);
    }

    public StoreOptions withQueryWaitMillis(long millis) {
        return new StoreOptions(maxResultBytes, queryConnections, millis, queryTimeoutSeconds);
    }

    public StoreOptions withQueryTimeoutSeconds(int seconds) {
        return new StoreOptions(maxResultBytes, queryConnections, queryWaitMillis, seconds);
    }
}
