package org.lockstepdb.server.raft;

import java.util.List;

import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.lockstepdb.server.NodeOptions;

/** Translates {@link NodeOptions} into Ratis properties; every non-default choice says why. */
public final class RaftSettings {
    /** Room for the log entry header around our own bytes. */
    private static final int ENTRY_OVERHEAD_BYTES = 64 * 1024;

    private RaftSettings() {
    }

    public static RaftProperties forNode(NodeOptions options) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(options.raftDir().toFile()));
        GrpcConfigKeys.Server.setHost(p, options.peers().hostOf(options.id()));
        GrpcConfigKeys.Server.setPort(p, options.peers().portOf(options.id()));

        // Reads are linearizable unless a client asks otherwise; Ratis' default is leader-local (stale).
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);

        // A client retries a write with the same call id until its window ends (driver: at most ~3 x 60 s); the
        // retry cache must remember the reply longer, or a late retry would apply the write a second time.
        RaftServerConfigKeys.RetryCache.setExpiryTime(p, TimeDuration.valueOf(300, java.util.concurrent.TimeUnit.SECONDS));

        // SQL nodes pause for GC; 150-300 ms election timeouts cause needless elections.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(options.rpcTimeoutMinMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(options.rpcTimeoutMaxMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));

        // One write must fit in one AppendEntries buffer and one gRPC message.
        int entryLimit = Math.max(4 * 1024 * 1024, options.maxRequestBytes() + ENTRY_OVERHEAD_BYTES);
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(entryLimit));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(Math.max(8 * 1024 * 1024, entryLimit + 8)));
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(Math.max(64 * 1024 * 1024, entryLimit + 1024 * 1024)));

        // Snapshots bound the log: after every interval of applied entries a snapshot is taken (copied in the
        // background, see SnapshotKeeper), the newest N are kept, and the log is purged up to the latest one even
        // if a peer is down (it then catches up by installing the snapshot). Not at stop: the store itself
        // survives a clean stop, and a background copy could not finish during shutdown anyway.
        boolean auto = options.snapshotIntervalEntries() > 0;
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, auto);
        if (auto) {
            RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, options.snapshotIntervalEntries());
        }
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, options.snapshotsRetained());
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        // Only whole closed segments are purged: small segments (room for two of the largest entries) keep the log
        // close to the interval; a small purge gap lets every snapshot purge.
        long largestEntry = (long) options.maxRequestBytes() + ENTRY_OVERHEAD_BYTES;
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(Math.max(1024L * 1024, 2 * largestEntry)));
        RaftServerConfigKeys.Log.setPurgeGap(p, 64);

        // A JVM pause (GC, SIGSTOP, a frozen VM) longer than this makes Ratis close the server: its view of the
        // cluster is too old to act on. The process then exits (ServingWatch) so that a supervisor restarts it.
        RaftServerConfigKeys.setCloseThreshold(p, TimeDuration.valueOf(options.closeThresholdMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS));
        return p;
    }
}
