package org.lockstepdb.server;

import java.nio.file.Path;

import org.lockstepdb.server.raft.PeerAddresses;

/**
 * Everything one replica needs to start.
 *
 * @param maxRequestBytes largest encoded write (one log entry) the leader accepts; larger ones are refused
 *                        before they reach the log
 * @param rpcTimeoutMinMillis Raft election timeout lower bound; well above JVM GC pauses so a busy SQL node
 *                            does not trigger needless elections
 */
public record NodeOptions(String id, Path dataDir, PeerAddresses peers, String clusterName, int maxRequestBytes,
                          int rpcTimeoutMinMillis, int rpcTimeoutMaxMillis, long staleReadWaitMillis,
                          long snapshotIntervalEntries, int snapshotsRetained) {
    public static final int DEFAULT_MAX_REQUEST_BYTES = 3 * 1024 * 1024;
    public static final int DEFAULT_RPC_TIMEOUT_MIN_MILLIS = 1000;
    public static final int DEFAULT_RPC_TIMEOUT_MAX_MILLIS = 2000;
    public static final long DEFAULT_STALE_READ_WAIT_MILLIS = 5000;
    /** Log entries applied since the latest snapshot that trigger the next one; also bounds the log kept. */
    public static final long DEFAULT_SNAPSHOT_INTERVAL_ENTRIES = 20_000;
    public static final int DEFAULT_SNAPSHOTS_RETAINED = 2;

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
    }

    public static NodeOptions defaults(String id, Path dataDir, PeerAddresses peers) {
        return new NodeOptions(id, dataDir, peers, org.lockstepdb.server.raft.ClusterIdentity.DEFAULT_NAME,
                DEFAULT_MAX_REQUEST_BYTES, DEFAULT_RPC_TIMEOUT_MIN_MILLIS, DEFAULT_RPC_TIMEOUT_MAX_MILLIS,
                DEFAULT_STALE_READ_WAIT_MILLIS, DEFAULT_SNAPSHOT_INTERVAL_ENTRIES, DEFAULT_SNAPSHOTS_RETAINED);
    }

    public NodeOptions withMaxRequestBytes(int bytes) {
        return new NodeOptions(id, dataDir, peers, clusterName, bytes, rpcTimeoutMinMillis, rpcTimeoutMaxMillis,
                staleReadWaitMillis, snapshotIntervalEntries, snapshotsRetained);
    }

    public NodeOptions withSnapshots(long intervalEntries, int retained) {
        return new NodeOptions(id, dataDir, peers, clusterName, maxRequestBytes, rpcTimeoutMinMillis,
                rpcTimeoutMaxMillis, staleReadWaitMillis, intervalEntries, retained);
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
