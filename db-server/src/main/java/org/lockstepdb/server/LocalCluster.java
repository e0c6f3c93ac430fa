package org.lockstepdb.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lockstepdb.server.raft.PeerAddresses;

/**
 * Several replicas in one JVM on loopback, each with its own data directory and real gRPC port: the
 * zero-configuration cluster of {@code lockstep local}. The chosen addresses are remembered in the data
 * directory, because Ratis stores the membership and a restart must find the same addresses again.
 */
public final class LocalCluster implements AutoCloseable {
    private static final String PEERS_FILE = "local-cluster-peers";

    private final PeerAddresses peers;
    private final List<LockstepNode> nodes;

    private LocalCluster(PeerAddresses peers, List<LockstepNode> nodes) {
        this.peers = peers;
        this.nodes = nodes;
    }

    public static LocalCluster start(Path dataDir, int nodeCount, int basePort) throws IOException {
        Files.createDirectories(dataDir);
        PeerAddresses peers = rememberedOrNewPeers(dataDir, nodeCount, basePort);
        List<LockstepNode> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= nodeCount; i++) {
                String id = "n" + i;
                nodes.add(LockstepNode.start(NodeOptions.defaults(id, dataDir.resolve(id), peers)));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(nodes);
            throw e;
        }
        return new LocalCluster(peers, nodes);
    }

    private static PeerAddresses rememberedOrNewPeers(Path dataDir, int nodeCount, int basePort) throws IOException {
        Path file = dataDir.resolve(PEERS_FILE);
        if (Files.exists(file)) {
            PeerAddresses remembered = PeerAddresses.parse(Files.readString(file, StandardCharsets.UTF_8).trim());
            if (remembered.toRaftPeers().size() != nodeCount) {
                throw new IllegalArgumentException(dataDir + " holds a cluster of " + remembered.toRaftPeers().size()
                        + " nodes, not " + nodeCount + "; use another --data directory");
            }
            return remembered;
        }
        Map<String, String> addresses = new LinkedHashMap<>();
        for (int i = 1; i <= nodeCount; i++) {
            int port = isFree(basePort + i - 1) ? basePort + i - 1 : freePort();
            addresses.put("n" + i, "127.0.0.1:" + port);
        }
        PeerAddresses peers = PeerAddresses.of(addresses);
        Files.writeString(file, peers.toString(), StandardCharsets.UTF_8);
        return peers;
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public String jdbcUrl() {
        return peers.jdbcUrl();
    }

    public List<LockstepNode> nodes() {
        return nodes;
    }

    @Override
    public void close() {
        closeAll(nodes);
    }

    private static void closeAll(List<LockstepNode> nodes) {
        for (LockstepNode node : nodes) {
            try {
                node.close();
            } catch (IOException | RuntimeException e) {
                System.err.println("error stopping node " + node.id() + ": " + e);
            }
        }
    }
}
