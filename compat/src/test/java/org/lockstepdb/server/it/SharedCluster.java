package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;

/**
 * One three-replica {@link TestCluster} for every compat test class of the JVM ({@code @ExtendWith(SharedCluster.class)}):
 * started by the first class that needs it, closed when JUnit ends (a resource in the root context's store). Each
 * class works in tables of its own names, so the classes do not see each other's data.
 */
public final class SharedCluster implements BeforeAllCallback {
    private static TestCluster cluster;
    private static Path dir;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (SharedCluster.class) {
            if (cluster == null) {
                dir = Files.createTempDirectory("lockstep-compat");
                cluster = TestCluster.start(dir, 3);
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                        .put(SharedCluster.class.getName(), (AutoCloseable) SharedCluster::closeCluster);
            }
        }
    }

    /** {@code jdbc:lockstep://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}. */
    public static String url() {
        return started().url();
    }

    /** A new connection to the cluster (the caller closes it). */
    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    /**
     * Stops the current leader's replica, as a crash looks to the clients (its server goes away at once), and returns
     * its id; {@link #restart} brings it back.
     */
    public static String stopLeader() throws IOException {
        String id = started().leader().id();
        cluster.stopNode(id);
        return id;
    }

    /** Starts replica {@code id} again on its own files; returns once the cluster has a leader. */
    public static void restart(String id) throws IOException {
        started().startNode(id);
        cluster.leader();
    }

    /**
     * {@code admin verify} through the driver: every replica answered, all with the same checksum at one log index;
     * then the replicas' own stores agree too.
     */
    public static void assertReplicasEqual() throws SQLException {
        try (Connection c = connect()) {
            LockstepAdmin.VerifyReport report = c.unwrap(LockstepConnection.class).admin().verify();
            assertThat(report.replicas()).as("%s", report).hasSize(3).allMatch(LockstepAdmin.ReplicaChecksum::answered);
            assertThat(report.consistent()).as("%s", report).isTrue();
        }
        Replicas.assertConverged(started().runningNodes());
    }

    private static synchronized TestCluster started() {
        if (cluster == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedCluster.class)");
        }
        return cluster;
    }

    private static synchronized void closeCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
            cluster = null;
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

}
