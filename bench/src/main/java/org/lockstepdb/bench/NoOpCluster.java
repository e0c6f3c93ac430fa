package org.lockstepdb.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.lockstepdb.server.JulLogging;
import org.lockstepdb.server.NodeOptions;
import org.lockstepdb.server.raft.ClusterIdentity;
import org.lockstepdb.server.raft.PeerAddresses;
import org.lockstepdb.server.raft.RaftSettings;

/**
 * A Ratis cluster in this JVM (free loopback ports, its own data directory) whose replicas run
 * {@link NoOpStateMachine}, with the very Ratis properties of a LockstepDB node ({@link RaftSettings#forNode}):
 * only the state machine differs. Its clients send {@value #PAYLOAD_BYTES}-byte writes, one blocking
 * {@code io().send} per operation, each client thread with its own {@link RaftClient}.
 */
public final class NoOpCluster implements AutoCloseable {
    public static final int PAYLOAD_BYTES = 100;
    /** Like the JDBC driver's defaults: 10 s per attempt, at most 40 retries 250 ms apart; never forever. */
    private static final long REQUEST_TIMEOUT_MILLIS = 10_000;
    private static final int MAX_RETRIES = 40;
    private static final long RETRY_SLEEP_MILLIS = 250;

    private final RaftGroup group;
    private final NodeOptions clientTemplate;
    private final List<RaftServer> servers;

    private NoOpCluster(RaftGroup group, NodeOptions clientTemplate, List<RaftServer> servers) {
        this.group = group;
        this.clientTemplate = clientTemplate;
        this.servers = servers;
    }

    /** Starts {@code nodes} servers under {@code dataDir} and waits (up to 60 s) until one is leader. */
    public static NoOpCluster start(Path dataDir, int nodes) throws IOException, InterruptedException {
        JulLogging.routeToSlf4j();
        PeerAddresses peers = freePeers(nodes);
        String clusterName = "bench-noop-" + UUID.randomUUID();
        RaftGroupId groupId = ClusterIdentity.groupId(clusterName);
        RaftGroup group = RaftGroup.valueOf(groupId, peers.toRaftPeers());
        List<RaftServer> servers = new ArrayList<>();
        NodeOptions first = null;
        try {
            for (int i = 1; i <= nodes; i++) {
                NodeOptions o = NodeOptions.defaults("n" + i, dataDir.resolve("n" + i), peers);
                o = new NodeOptions(o.id(), o.dataDir(), o.peers(), clusterName, o.maxRequestBytes(),
                        o.rpcTimeoutMinMillis(), o.rpcTimeoutMaxMillis(), o.staleReadWaitMillis(), 0, 1);
                if (first == null) {
                    first = o;
                }
                RaftServer server = RaftServer.newBuilder()
                        .setServerId(RaftPeerId.valueOf(o.id()))
                        .setGroup(group)
                        .setStateMachine(new NoOpStateMachine())
                        .setProperties(RaftSettings.forNode(o))
                        .setOption(RaftStorage.StartupOption.RECOVER)
                        .build();
                servers.add(server);
                server.start();
            }
            NoOpCluster cluster = new NoOpCluster(group, first, servers);
            cluster.awaitLeader(60_000);
            return cluster;
        } catch (IOException | RuntimeException | InterruptedException e) {
            closeAll(servers);
            throw e;
        }
    }

    private void awaitLeader(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() - deadline < 0) {
            for (RaftServer s : servers) {
                if (s.getDivision(group.getGroupId()).getInfo().isLeader()) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("no leader elected in the no-op cluster within " + timeoutMillis + " ms");
    }

    static PeerAddresses freePeers(int nodes) throws IOException {
        Map<String, String> addresses = new LinkedHashMap<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 1; i <= nodes; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s); // held until all are chosen, so no port is picked twice
                addresses.put("n" + i, "127.0.0.1:" + s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return PeerAddresses.of(addresses);
    }

    /** A new client with a bounded retry policy; the caller closes it. */
    public RaftClient newClient() {
        RaftProperties p = RaftSettings.forNode(clientTemplate); // same gRPC message limits as the servers
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        GrpcConfigKeys.Server.setPort(p, 0); // irrelevant to a client; never bind the node's port by accident
        RetryPolicy retry = RetryPolicies.retryUpToMaximumCountWithFixedSleep(MAX_RETRIES,
                TimeDuration.valueOf(RETRY_SLEEP_MILLIS, TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder().setProperties(p).setRaftGroup(group).setRetryPolicy(retry).build();
    }

    /** Bench clients for the {@code insert} workload: one {@value #PAYLOAD_BYTES}-byte blocking write per op. */
    public WorkloadRunner.ClientFactory insertClients() {
        return threadIndex -> {
            RaftClient client = newClient();
            return new WorkloadRunner.Client() {
                private final byte[] payload = new byte[PAYLOAD_BYTES];

                @Override
                public int runOnce(long opIndex) throws IOException {
                    long id = SqlWorkloads.idOf(threadIndex, opIndex);
                    for (int i = 0; i < 8; i++) {
                        payload[i] = (byte) (id >>> (8 * i));
                    }
                    RaftClientReply reply = client.io().send(Message.valueOf(ByteString.copyFrom(payload)));
                    if (!reply.isSuccess()) {
                        throw reply.getException() != null ? reply.getException()
                                : new IOException("write failed: " + reply);
                    }
                    return 1;
                }

                @Override
                public void close() throws IOException {
                    client.close();
                }
            };
        };
    }

    public RaftGroup group() {
        return group;
    }

    @Override
    public void close() {
        closeAll(servers);
    }

    private static void closeAll(List<RaftServer> servers) {
        for (RaftServer s : servers) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                System.err.println("bench: error stopping no-op server " + s.getId() + ": " + e);
            }
        }
    }
}
