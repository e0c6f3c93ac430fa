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

        // SQL nodes pause for GC; 150-300 ms election timeouts cause needless elections.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(options.rpcTimeoutMinMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(options.rpcTimeoutMaxMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));

        // One write must fit in one AppendEntries buffer and one gRPC message.
        int entryLimit = Math.max(4 * 1024 * 1024, options.maxRequestBytes() + ENTRY_OVERHEAD_BYTES);
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(entryLimit));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(Math.max(8 * 1024 * 1024, entryLimit + 8)));
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(Math.max(64 * 1024 * 1024, entryLimit + 1024 * 1024)));

        // No snapshots yet: the whole log is kept, so a replica can always rebuild its H2 state from it.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, false);
        return p;
    }
}
