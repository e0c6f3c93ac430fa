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

    private ProcessCluster(List<ProcessNode> nodes, PeerAddresses peers, String url) {
        this.nodes = nodes;
        this.peers = peers;
        this.url = url;
    }

    /** Starts one JVM per entry (replica id → its JVM options) and waits until the cluster serves. */
    static ProcessCluster start(Path dir, Map<String, List<String>> jvmOptionsById) throws IOException {
        PeerAddresses peers = TestCluster.freePeers(jvmOptionsById.size());
        List<ProcessNode> nodes = new ArrayList<>();
        ProcessCluster cluster = new ProcessCluster(nodes, peers, peers.jdbcUrl() + "?timeoutMs=30000");
        for (Map.Entry<String, List<String>> e : jvmOptionsById.entrySet()) {
            nodes.add(new ProcessNode(e.getKey(), dir.resolve(e.getKey()), peers, e.getValue()).start());
        }
        Awaitility.await("the JVMs start serving").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    try (Connection c = DriverManager.getConnection(cluster.url())) {
                        return c.isValid(5);
                    }
                });
        return cluster;
    }

    String url() {
        return url;
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
