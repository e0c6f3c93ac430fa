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

import org.awaitility.Awaitility;
import org.lockstepdb.server.LockstepNode;
import org.lockstepdb.server.NodeOptions;
import org.lockstepdb.server.raft.PeerAddresses;

/** A real cluster of in-process replicas on loopback with real gRPC ports and real H2 files under a temp dir. */
final class TestCluster implements AutoCloseable {
    private final Path dir;
    private final PeerAddresses peers;
    private final Map<String, LockstepNode> running = new LinkedHashMap<>();
    private final int maxRequestBytes;

    private TestCluster(Path dir, PeerAddresses peers, int maxRequestBytes) {
        this.dir = dir;
        this.peers = peers;
        this.maxRequestBytes = maxRequestBytes;
    }

    static TestCluster start(Path dir, int nodes) throws IOException {
        return start(dir, nodes, NodeOptions.DEFAULT_MAX_REQUEST_BYTES);
    }

    static TestCluster start(Path dir, int nodes, int maxRequestBytes) throws IOException {
        TestCluster cluster = new TestCluster(dir, freePeers(nodes), maxRequestBytes);
        for (int i = 1; i <= nodes; i++) {
            cluster.startNode("n" + i);
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
        LockstepNode node = LockstepNode.start(NodeOptions.defaults(id, dir.resolve(id), peers)
                .withMaxRequestBytes(maxRequestBytes));
        running.put(id, node);
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
