package org.lockstepdb.server.it;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.lockstepdb.server.raft.PeerAddresses;

/** Replicas in their own JVMs (see {@link ProcessNode}), each with its own JVM options, on free loopback ports. */
final class ProcessCluster implements AutoCloseable {
    private final List<ProcessNode> nodes;
    private final PeerAddresses peers;
    private final String url;

    private ProcessCluster(List<ProcessNode> nodes, PeerAddresses peers) {
        this.nodes = nodes;
        this.peers = peers;
        this.url = peers.jdbcUrl() + "?timeoutMs=30000";
    }

    /** Starts one JVM per entry (replica id → its JVM options) and waits until the cluster serves. */
    static ProcessCluster start(Path dir, Map<String, List<String>> jvmOptionsById) throws IOException {
        return start(dir, jvmOptionsById, List.of());
    }

    /** As {@link #start(Path, Map)}, every replica also started with {@code serverFlags}. */
    static ProcessCluster start(Path dir, Map<String, List<String>> jvmOptionsById, List<String> serverFlags)
            throws IOException {
        PeerAddresses peers = TestCluster.freePeers(jvmOptionsById.size());
        List<ProcessNode> nodes = new ArrayList<>();
        ProcessCluster cluster = new ProcessCluster(nodes, peers);
        for (Map.Entry<String, List<String>> e : jvmOptionsById.entrySet()) {
            nodes.add(new ProcessNode(e.getKey(), dir.resolve(e.getKey()), peers, e.getValue(), serverFlags).start());
        }
        Awaitility.await("the JVMs start serving").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    try (Connection c = DriverManager.getConnection(cluster.url())) {
                        return c.isValid(5);
                    }
                });
        return cluster;
    }

    /** The cluster's URL with {@code timeoutMs=30000}. */
    String url() {
        return url;
    }

    /** The cluster's URL with exactly these options ("" = the driver's defaults). */
    String url(String options) {
        return peers.jdbcUrl() + (options.isEmpty() ? "" : "?" + options);
    }

    ProcessNode node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no replica " + id));
    }

    PeerAddresses peers() {
        return peers;
    }

    List<ProcessNode> nodes() {
        return nodes;
    }

    @Override
    public void close() throws InterruptedException {
        for (ProcessNode n : nodes) {
            n.close();
        }
    }
}
