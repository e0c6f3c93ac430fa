package org.lockstepdb.server.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.awaitility.Awaitility;
import org.lockstepdb.protocol.MessageCodec;
import org.lockstepdb.protocol.Request;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.server.LockstepNode;
import org.lockstepdb.server.raft.RecoverySkip;
import org.lockstepdb.server.NodeOptions;
import org.lockstepdb.server.raft.ClusterIdentity;
import org.lockstepdb.server.raft.PeerAddresses;

/** A real cluster of in-process replicas on loopback with real gRPC ports and real H2 files under a temp dir. */
final class TestCluster implements AutoCloseable {
    private final Path dir;
    /** The members' addresses; grows when {@link #addReplica} adds one. */
    private volatile PeerAddresses peers;
    private final Map<String, LockstepNode> running = new LinkedHashMap<>();
    /** Applied to every replica's {@link NodeOptions#defaults} (request limit, snapshot settings...). */
    private final UnaryOperator<NodeOptions> customizer;

    private TestCluster(Path dir, PeerAddresses peers, UnaryOperator<NodeOptions> customizer) {
        this.dir = dir;
        this.peers = peers;
        this.customizer = customizer;
    }

    static TestCluster start(Path dir, int nodes) throws IOException {
        return start(dir, nodes, NodeOptions.DEFAULT_MAX_REQUEST_BYTES);
    }

    static TestCluster start(Path dir, int nodes, int maxRequestBytes) throws IOException {
        return start(dir, nodes, o -> o.withMaxRequestBytes(maxRequestBytes));
    }

    /** A raw Ratis client of this cluster (bounded retries), for tests that speak the protocol directly. */
    RaftClient raftClient() {
        return RaftClient.newBuilder()
                .setProperties(new RaftProperties())
                .setRaftGroup(RaftGroup.valueOf(groupId(), peers.toRaftPeers()))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20,
                        TimeDuration.valueOf(500, TimeUnit.MILLISECONDS)))
                .build();
    }

    /** A new cluster whose every replica is first seeded from {@code backup}, as {@code --bootstrap-from} does. */
    static TestCluster startBootstrapped(Path dir, int nodes, Path backup) throws Exception {
        TestCluster cluster = new TestCluster(dir, freePeers(nodes), UnaryOperator.identity());
        try {
            for (int i = 1; i <= nodes; i++) {
                LockstepNode.bootstrap(cluster.options("n" + i), backup);
                cluster.startNode("n" + i);
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** A cluster whose replicas all start with {@code customizer.apply(NodeOptions.defaults(id, dir/id, peers))}. */
    static TestCluster start(Path dir, int nodes, UnaryOperator<NodeOptions> customizer) throws IOException {
        TestCluster cluster = new TestCluster(dir, freePeers(nodes), customizer);
        try {
            for (int i = 1; i <= nodes; i++) {
                cluster.startNode("n" + i);
            }
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    static PeerAddresses freePeers(int nodes) throws IOException {
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 1; i <= nodes; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                addresses.put("n" + i, "127.0.0.1:" + s.getLocalPort());
            }
        }
        return PeerAddresses.of(addresses);
    }

    LockstepNode startNode(String id) throws IOException {
        return startNode(id, new RecoverySkip(RecoverySkip.NONE));
    }

    /** Starts replica {@code id} as {@code lockstep server --skip-log-entry} would. */
    LockstepNode startNode(String id, RecoverySkip skip) throws IOException {
        LockstepNode node = LockstepNode.start(options(id), skip);
        running.put(id, node);
        return node;
    }

    /** The options replica {@code id} starts with. */
    NodeOptions options(String id) {
        return customizer.apply(NodeOptions.defaults(id, dir.resolve(id), peers));
    }

    LockstepNode node(String id) {
        LockstepNode n = running.get(id);
        if (n == null) {
            throw new IllegalArgumentException("replica " + id + " is not running");
        }
        return n;
    }

    RaftGroupId groupId() {
        return ClusterIdentity.groupId(ClusterIdentity.DEFAULT_NAME);
    }

    /** Ratis' directory of this cluster's group on replica {@code id}: {@code <node>/raft/<group uuid>}. */
    Path groupDir(String id) {
        return options(id).raftDir().resolve(groupId().getUuid().toString());
    }

    /** Where Ratis keeps replica {@code id}'s snapshot files ({@code snapshot.<term>_<index>} and their .md5). */
    Path snapshotDir(String id) {
        return groupDir(id).resolve("sm");
    }

    /** Where Ratis keeps replica {@code id}'s log segments ({@code log_<first>-<last>}, {@code log_inprogress_<first>}). */
    Path logDir(String id) {
        return groupDir(id).resolve("current");
    }

    /**
     * Adds a brand-new, empty replica to the running cluster: starts it on a free port as a non-member
     * ({@link LockstepNode#startJoining}) and asks the leader to change the configuration to the current members
     * plus it. The leader then brings it up to date (snapshot install and/or log). Returns once the configuration
     * change is committed.
     */
    /**
     * Starts replica {@code id} on a free port as a joining server (like {@code lockstep server --join}), not yet
     * a member; returns its address. The cluster's URL and peer list include it from now on.
     */
    String startJoiningNode(String id) throws IOException {
        Map<String, String> addresses = new LinkedHashMap<>();
        peers.toRaftPeers().forEach(p -> addresses.put(p.getId().toString(), p.getAddress()));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            addresses.put(id, "127.0.0.1:" + s.getLocalPort());
        }
        peers = PeerAddresses.of(addresses);
        running.put(id, LockstepNode.startJoining(options(id)));
        return addresses.get(id);
    }

    LockstepNode addReplica(String id) throws IOException {
        List<RaftPeer> oldPeers = peers.toRaftPeers();
        Map<String, String> addresses = new LinkedHashMap<>();
        for (RaftPeer p : oldPeers) {
            addresses.put(p.getId().toString(), p.getAddress());
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            addresses.put(id, "127.0.0.1:" + s.getLocalPort());
        }
        PeerAddresses grown = PeerAddresses.of(addresses);
        LockstepNode node = LockstepNode.startJoining(customizer.apply(NodeOptions.defaults(id, dir.resolve(id), grown)));
        running.put(id, node);
        try (RaftClient client = RaftClient.newBuilder()
                .setProperties(new RaftProperties())
                .setRaftGroup(RaftGroup.valueOf(groupId(), oldPeers))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20,
                        TimeDuration.valueOf(500, TimeUnit.MILLISECONDS)))
                .build()) {
            // The List overload: in Ratis 3.3.0 AdminApi.setConfiguration(RaftPeer[], RaftPeer[]) passes both arrays
            // to setListenersInNewConf and never sets the servers, so the request fails on the missing server list.
            RaftClientReply reply = client.admin().setConfiguration(grown.toRaftPeers());
            if (!reply.isSuccess()) {
                throw new IOException("adding " + id + " failed: " + reply, reply.getException());
            }
        }
        peers = grown;
        return node;
    }

    /** Stops a replica abruptly from the cluster's point of view (its server goes away at once). */
    void stopNode(String id) throws IOException {
        running.remove(id).close();
    }

    String url() {
        return peers.jdbcUrl();
    }

    String url(String options) {
        return peers.jdbcUrl() + "?" + options;
    }

    PeerAddresses peers() {
        return peers;
    }

    List<LockstepNode> runningNodes() {
        return new ArrayList<>(running.values());
    }

    LockstepNode leader() {
        Awaitility.await("a leader").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> running.values().stream().anyMatch(TestCluster::isLeader));
        return running.values().stream().filter(TestCluster::isLeader).findFirst().orElseThrow();
    }

    /**
     * The write logged at {@code index} as the replicas apply it: the guard's SQL and the leader's stamp. Read from
     * the leader's Raft log, so call it soon after the write (before a snapshot lets the leader purge it).
     */
    WriteRequest loggedWrite(long index) throws Exception {
        LogEntryProto entry = leader().raftServer().getDivision(groupId()).getRaftLog().get(index);
        Request logged = MessageCodec.decodeRequest(entry.getStateMachineLogEntry().getLogData().toByteArray());
        if (!(logged instanceof WriteRequest write)) {
            throw new IllegalStateException("log entry " + index + " is no write: " + logged);
        }
        return write;
    }

    /** The index of the last write in the leader's Raft log (admin entries skipped), or -1. */
    long lastLoggedWrite() throws Exception {
        RaftLog log = leader().raftServer().getDivision(groupId()).getRaftLog();
        for (long i = log.getLastEntryTermIndex().getIndex(); i >= Math.max(0, log.getStartIndex()); i--) {
            LogEntryProto entry = log.get(i);
            if (entry != null && entry.hasStateMachineLogEntry() && MessageCodec.decodeRequest(
                    entry.getStateMachineLogEntry().getLogData().toByteArray()) instanceof WriteRequest) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isLeader(LockstepNode node) {
        try {
            return node.isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (LockstepNode node : running.values()) {
            try {
                node.close();
            } catch (IOException | RuntimeException e) {
                // keep closing the others
            }
        }
        running.clear();
    }
}
