package org.lockstepdb.server;

import java.nio.file.Path;

import org.lockstepdb.server.raft.PeerAddresses;
import org.lockstepdb.storage.StoreOptions;

/**
 * Everything one replica needs to start.
 *
 * @param maxRequestBytes largest encoded write (one log entry) the leader accepts; larger ones are refused
 *                        before they reach the log
 * @param rpcTimeoutMinMillis Raft election timeout lower bound; well above JVM GC pauses so a busy SQL node
 *                            does not trigger needless elections
 * @param queryTimeoutMillis  default limit of one query's execution, in ms (0 = none); a client's shorter
 *                            timeout wins; past it H2 cancels the statement (57014)
 * @param queryThreads        queries (and admin reads) that run at once on this replica, each on its own H2
 *                            session, never on Ratis' threads
 * @param queryQueueLimit     queries waiting for a query thread; beyond it a query is refused at once (53400)
 * @param closeThresholdMillis a JVM pause (GC, SIGSTOP) longer than this makes Ratis close this replica's
 *                            server, and the process then exits (status {@link ServingWatch#EXIT_STOPPED_SERVING})
 * @param txReplayBudgetMillis longest an interactive transaction's speculative run may take on this replica's apply
 *                            thread, in ms (0 = none); past it the new operation is refused (54000)
 *                            ({@link StoreOptions#txReplayBudgetMillis})
 */
public record NodeOptions(String id, Path dataDir, PeerAddresses peers, String clusterName, int maxRequestBytes,
                          int rpcTimeoutMinMillis, int rpcTimeoutMaxMillis, long staleReadWaitMillis,
                          long snapshotIntervalEntries, int snapshotsRetained, long queryTimeoutMillis,
                          int queryThreads, int queryQueueLimit, long closeThresholdMillis, long txReplayBudgetMillis) {
    public static final int DEFAULT_MAX_REQUEST_BYTES = 3 * 1024 * 1024;
    public static final int DEFAULT_RPC_TIMEOUT_MIN_MILLIS = 1000;
    public static final int DEFAULT_RPC_TIMEOUT_MAX_MILLIS = 2000;
    public static final long DEFAULT_STALE_READ_WAIT_MILLIS = 5000;
    /** Log entries applied since the latest snapshot that trigger the next one; also bounds the log kept. */
    public static final long DEFAULT_SNAPSHOT_INTERVAL_ENTRIES = 20_000;
    public static final int DEFAULT_SNAPSHOTS_RETAINED = 2;
    public static final long DEFAULT_QUERY_TIMEOUT_MILLIS = StoreOptions.DEFAULT_QUERY_TIMEOUT_MILLIS;
    public static final int DEFAULT_QUERY_THREADS = 4;
    public static final int DEFAULT_QUERY_QUEUE_LIMIT = 256;
    /** Ratis' default: a replica frozen this long has surely lost leadership and must not act on stale state. */
    public static final long DEFAULT_CLOSE_THRESHOLD_MILLIS = 60_000;
    public static final long DEFAULT_TX_REPLAY_BUDGET_MILLIS = StoreOptions.DEFAULT_TX_REPLAY_BUDGET_MILLIS;

    /** The options with the default transaction replay budget. */
    public NodeOptions(String id, Path dataDir, PeerAddresses peers, String clusterName, int maxRequestBytes,
                       int rpcTimeoutMinMillis, int rpcTimeoutMaxMillis, long staleReadWaitMillis,
                       long snapshotIntervalEntries, int snapshotsRetained, long queryTimeoutMillis,
                       int queryThreads, int queryQueueLimit, long closeThresholdMillis) {
        this(id, dataDir, peers, clusterName, maxRequestBytes, rpcTimeoutMinMillis, rpcTimeoutMaxMillis,
                staleReadWaitMillis, snapshotIntervalEntries, snapshotsRetained, queryTimeoutMillis, queryThreads,
                queryQueueLimit, closeThresholdMillis, DEFAULT_TX_REPLAY_BUDGET_MILLIS);
    }

    /** The options without the query and pause limits (their defaults). */
    public NodeOptions(String id, Path dataDir, PeerAddresses peers, String clusterName, int maxRequestBytes,
                       int rpcTimeoutMinMillis, int rpcTimeoutMaxMillis, long staleReadWaitMillis,
                       long snapshotIntervalEntries, int snapshotsRetained) {
        this(id, dataDir, peers, clusterName, maxRequestBytes, rpcTimeoutMinMillis, rpcTimeoutMaxMillis,
                staleReadWaitMillis, snapshotIntervalEntries, snapshotsRetained, DEFAULT_QUERY_TIMEOUT_MILLIS,
                DEFAULT_QUERY_THREADS, DEFAULT_QUERY_QUEUE_LIMIT, DEFAULT_CLOSE_THRESHOLD_MILLIS);
    }

    public NodeOptions {
        peers.addressOf(id); // the id must be one of the peers
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes must be at least 1024");
        }
        if (rpcTimeoutMinMillis <= 0 || rpcTimeoutMaxMillis <= rpcTimeoutMinMillis) {
            throw new IllegalArgumentException("need 0 < rpcTimeoutMin < rpcTimeoutMax");
        }
        if (snapshotIntervalEntries < 0) {
            throw new IllegalArgumentException("snapshotIntervalEntries must be >= 0 (0 = no automatic snapshots)");
        }
        if (snapshotsRetained < 1) {
            throw new IllegalArgumentException("snapshotsRetained must be at least 1");
        }
        if (queryTimeoutMillis < 0 || queryTimeoutMillis > StoreOptions.MAX_QUERY_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("queryTimeoutMillis must be in 0.." + StoreOptions.MAX_QUERY_TIMEOUT_MILLIS
                    + " (0 = no limit)");
        }
        if (queryThreads < 1 || queryThreads > 256) {
            throw new IllegalArgumentException("queryThreads must be in 1..256");
        }
        if (queryQueueLimit < 0 || queryQueueLimit > 100_000) {
            throw new IllegalArgumentException("queryQueueLimit must be in 0..100000");
        }
        if (closeThresholdMillis < 1000) {
            throw new IllegalArgumentException("closeThresholdMillis must be at least 1000");
        }
        if (txReplayBudgetMillis < 0 || txReplayBudgetMillis > StoreOptions.MAX_QUERY_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("txReplayBudgetMillis must be in 0.."
                    + StoreOptions.MAX_QUERY_TIMEOUT_MILLIS + " (0 = no limit)");
        }
    }

    /** What the SQL store needs of these options: the query limits and the transaction replay budget. */
    public StoreOptions storeOptions() {
        return StoreOptions.defaults().withQueryConnections(queryThreads).withQueryTimeoutMillis(queryTimeoutMillis)
                .withTxReplayBudgetMillis(txReplayBudgetMillis);
    }

    public NodeOptions withQueryLimits(long timeoutMillis, int threads, int queueLimit) {
        return new NodeOptions(id, dataDir, peers, clusterName, maxRequestBytes, rpcTimeoutMinMillis,
                rpcTimeoutMaxMillis, staleReadWaitMillis, snapshotIntervalEntries, snapshotsRetained, timeoutMillis,
                threads, queueLimit, closeThresholdMillis, txReplayBudgetMillis);
    }

    public NodeOptions withCloseThresholdMillis(long millis) {
        return new NodeOptions(id, dataDir, peers, clusterName, maxRequestBytes, rpcTimeoutMinMillis,
                rpcTimeoutMaxMillis, staleReadWaitMillis, snapshotIntervalEntries, snapshotsRetained,
                queryTimeoutMillis, queryThreads, queryQueueLimit, millis, txReplayBudgetMillis);
    }

    public NodeOptions withTxReplayBudgetMillis(long millis) {
        return new NodeOptions(id, dataDir, peers, clusterName, maxRequestBytes, rpcTimeoutMinMillis,
                rpcTimeoutMaxMillis, staleReadWaitMillis, snapshotIntervalEntries, snapshotsRetained,
                queryTimeoutMillis, queryThreads, queryQueueLimit, closeThresholdMillis, millis);
    }

    public static NodeOptions defaults(String id, Path dataDir, PeerAddresses peers) {
        return new NodeOptions(id, dataDir, peers, org.lockstepdb.server.raft.ClusterIdentity.DEFAULT_NAME,
                DEFAULT_MAX_REQUEST_BYTES, DEFAULT_RPC_TIMEOUT_MIN_MILLIS, DEFAULT_RPC_TIMEOUT_MAX_MILLIS,
                DEFAULT_STALE_READ_WAIT_MILLIS, DEFAULT_SNAPSHOT_INTERVAL_ENTRIES, DEFAULT_SNAPSHOTS_RETAINED);
    }

    public NodeOptions withMaxRequestBytes(int bytes) {
        return new NodeOptions(id, dataDir, peers, clusterName, bytes, rpcTimeoutMinMillis, rpcTimeoutMaxMillis,
                staleReadWaitMillis, snapshotIntervalEntries, snapshotsRetained, queryTimeoutMillis, queryThreads,
                queryQueueLimit, closeThresholdMillis, txReplayBudgetMillis);
    }

    public NodeOptions withSnapshots(long intervalEntries, int retained) {
        return new NodeOptions(id, dataDir, peers, clusterName, maxRequestBytes, rpcTimeoutMinMillis,
                rpcTimeoutMaxMillis, staleReadWaitMillis, intervalEntries, retained, queryTimeoutMillis, queryThreads,
                queryQueueLimit, closeThresholdMillis, txReplayBudgetMillis);
    }

    /** Ratis' own directory (log, metadata, snapshots). Ratis replaces parts of it on snapshot install. */
    public Path raftDir() {
        return dataDir.resolve("raft");
    }

    /** The live H2 database: deliberately outside {@link #raftDir()}. */
    public Path databaseDir() {
        return dataDir.resolve("db");
    }
}
