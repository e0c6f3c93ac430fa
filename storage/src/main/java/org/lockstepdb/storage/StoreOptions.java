package org.lockstepdb.storage;

/**
 * Tunables of a {@link SqlStore}. None of them can change what a write does (they only bound queries), so
 * replicas may differ in them without diverging.
 *
 * @param maxResultBytes        largest encoded query result a query may return; beyond it the query fails
 *                              with SQLState 54000 instead of exhausting memory
 * @param queryConnections      size of the query connection pool: at most this many queries run at once
 * @param queryWaitMillis       how long a query waits for a free connection before failing with HYT00
 * @param queryTimeoutMillis    default per-query execution limit in ms (0 = none): H2 cancels the running
 *                              statement (SQLState 57014) and its CPU is freed; a query's own, shorter
 *                              {@link org.lockstepdb.protocol.QueryRequest#timeoutMillis()} wins
 * @param txReplayBudgetMillis  longest an interactive transaction's speculative run (its script so far replayed
 *                              plus the new operation) may take on the apply thread, in ms (0 = none): past it the
 *                              new operation is refused with 54000 and not recorded. It bounds indirectly how long
 *                              every replica's commit replay (which has no timer) stalls its apply path
 */
public record StoreOptions(long maxResultBytes, int queryConnections, long queryWaitMillis, long queryTimeoutMillis,
                           long txReplayBudgetMillis) {
    public static final long DEFAULT_MAX_RESULT_BYTES = 32L * 1024 * 1024;
    /** Long enough for any interactive or reporting query; short enough that a runaway one frees its CPU. */
    public static final long DEFAULT_QUERY_TIMEOUT_MILLIS = 30_000;
    /**
     * Long enough for the statements of an OLTP transaction; short enough that a replica's apply path (and, with
     * txHome=leader, every write's acknowledgement) never stalls for long behind one transaction.
     */
    public static final long DEFAULT_TX_REPLAY_BUDGET_MILLIS = 2_000;
    /** H2 keeps QUERY_TIMEOUT in an int of milliseconds. */
    public static final long MAX_QUERY_TIMEOUT_MILLIS = Integer.MAX_VALUE;

    public StoreOptions {
        if (maxResultBytes <= 0) {
            throw new IllegalArgumentException("maxResultBytes must be > 0");
        }
        if (queryConnections < 1 || queryConnections > 256) {
            throw new IllegalArgumentException("queryConnections must be in 1..256");
        }
        if (queryWaitMillis < 0) {
            throw new IllegalArgumentException("queryWaitMillis must be >= 0");
        }
        if (queryTimeoutMillis < 0 || queryTimeoutMillis > MAX_QUERY_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("queryTimeoutMillis must be in 0.." + MAX_QUERY_TIMEOUT_MILLIS);
        }
        if (txReplayBudgetMillis < 0 || txReplayBudgetMillis > MAX_QUERY_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("txReplayBudgetMillis must be in 0.." + MAX_QUERY_TIMEOUT_MILLIS);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DEFAULT_MAX_RESULT_BYTES, 4, 10_000, DEFAULT_QUERY_TIMEOUT_MILLIS,
                DEFAULT_TX_REPLAY_BUDGET_MILLIS);
    }

    public StoreOptions withMaxResultBytes(long bytes) {
        return new StoreOptions(bytes, queryConnections, queryWaitMillis, queryTimeoutMillis, txReplayBudgetMillis);
    }

    public StoreOptions withQueryConnections(int n) {
        return new StoreOptions(maxResultBytes, n, queryWaitMillis, queryTimeoutMillis, txReplayBudgetMillis);
    }

    public StoreOptions withQueryWaitMillis(long millis) {
        return new StoreOptions(maxResultBytes, queryConnections, millis, queryTimeoutMillis, txReplayBudgetMillis);
    }

    public StoreOptions withQueryTimeoutMillis(long millis) {
        return new StoreOptions(maxResultBytes, queryConnections, queryWaitMillis, millis, txReplayBudgetMillis);
    }

    public StoreOptions withTxReplayBudgetMillis(long millis) {
        return new StoreOptions(maxResultBytes, queryConnections, queryWaitMillis, queryTimeoutMillis, millis);
    }

    /**
     * The limit for one query: the shorter of this store's default and the client's own timeout (each 0 =
     * none).
     *
     * @return milliseconds, 0 for no limit
     */
    public long effectiveQueryTimeoutMillis(long clientTimeoutMillis) {
        if (queryTimeoutMillis == 0) {
            return Math.min(clientTimeoutMillis, MAX_QUERY_TIMEOUT_MILLIS);
        }
        return clientTimeoutMillis == 0 ? queryTimeoutMillis : Math.min(queryTimeoutMillis, clientTimeoutMillis);
    }

    /**
     * The limit for one statement of a transaction's speculative run: the query limit
     * ({@link #effectiveQueryTimeoutMillis}), and no longer than the replay budget.
     *
     * @return milliseconds, 0 for no limit
     */
    public long speculationTimeoutMillis(long clientTimeoutMillis) {
        long query = effectiveQueryTimeoutMillis(clientTimeoutMillis);
        if (txReplayBudgetMillis == 0) {
            return query;
        }
        return query == 0 ? txReplayBudgetMillis : Math.min(query, txReplayBudgetMillis);
    }
}
