package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.lockstepdb.jdbc.LockstepDriver;

/**
 * A connection that is closed or that fails releases everything it opened (Ratis clients, gRPC channels and
 * their sockets, threads, executors). 200 connect/fail/close cycles in this JVM — the replica runs in its own JVM,
 * so every thread and socket counted here is the driver's:
 * <ul>
 *   <li>60 connections to a live cluster that write, read and close;</li>
 *   <li>20 connections whose cluster then dies (SIGKILL): 10 fail a write at their deadline then close, 10 are
 *       closed while their write is being retried;</li>
 *   <li>100 connects to loopback ports where nothing listens, and 20 to a listener that never answers (a hung
 *       host), failing at discovery.</li>
 * </ul>
 * Afterwards the live threads (by name) and open sockets/descriptors return to within a small constant of what
 * they were after one warm-up connection. JVM-wide driver state that stays by design (docs/JDBC.md, "Threads and
 * resources") is created by the warm-up and so is part of the baseline.
 */
class DriverResourceLeakIT extends WithProcessCluster {
    private static final int THREAD_SLACK = 4;
    private static final int SOCKET_SLACK = 4;
    private static final int FD_SLACK = 8;

    @Test
    void failedAndClosedConnectionsReleaseThreadsChannelsAndSockets() throws Exception {
        LockstepDriver.load();
        Map<String, List<String>> jvms = new LinkedHashMap<>();
        jvms.put("n1", List.of());
        cluster = ProcessCluster.start(dir, jvms);
        String live = cluster.url("timeoutMs=1500&retryIntervalMs=50");
        try (Connection c = DriverManager.getConnection(live); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
        }
        // free loopback ports: nothing listens there
        String nobody = TestCluster.freePeers(2).jdbcUrl() + "?connectTimeoutMs=200&timeoutMs=200";
        warmUp(live, nobody);
        DriverResources before = settled(null);

        int cycles = 0;
        for (int i = 0; i < 60; i++, cycles++) {
            try (Connection c = DriverManager.getConnection(live); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO t VALUES (" + i + ")");
                try (var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                    assertThat(rs.next()).isTrue();
                }
                if (i == 59) {
                    System.out.println("DriverResourceLeakIT with one open connection: " + DriverResources.now());
                }
            }
        }

        // While the replica lives, a channel left open would keep its socket to it: count them now.
        assertReleased(before, settled(before), "after 60 connections to the live cluster");

        List<Connection> orphaned = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            orphaned.add(DriverManager.getConnection(live));
        }
        cluster.nodes().get(0).kill();
        for (int i = 0; i < 10; i++, cycles++) {
            try (Connection c = orphaned.get(i); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (-1)"))
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("may or may not have been applied");
            }
        }
        for (int i = 10; i < 20; i++, cycles++) {
            closeMidWrite(orphaned.get(i));
        }

        for (int i = 0; i < 100; i++, cycles++) {
            assertThatThrownBy(() -> DriverManager.getConnection(nobody).close())
                    .isInstanceOf(SQLTransientConnectionException.class).hasMessageContaining("no server answered");
        }
        // A listener that completes TCP handshakes (the kernel does, into its backlog) but never speaks gRPC: a
        // hung host. The probe times out; its half-open channel must be closed all the same.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String hung = "jdbc:lockstep://127.0.0.1:" + silent.getLocalPort() + "?connectTimeoutMs=200";
            for (int i = 0; i < 20; i++, cycles++) {
                assertThatThrownBy(() -> DriverManager.getConnection(hung).close())
                        .isInstanceOf(SQLTransientConnectionException.class)
                        .hasMessageContaining("no server answered");
            }
        }
        assertThat(cycles).isEqualTo(200);

        DriverResources after = settled(before);
        System.out.println("DriverResourceLeakIT before: " + before);
        System.out.println("DriverResourceLeakIT after 200 cycles: " + after);
        assertReleased(before, after, "after 200 cycles");
    }

    private static void assertReleased(DriverResources before, DriverResources after, String when) {
        assertThat(after.threads()).as("live threads %s; grew: %s", when, after.threadGrowthSince(before))
                .isLessThanOrEqualTo(before.threads() + THREAD_SLACK);
        assertThat(after.threadGrowthSince(before).keySet()).as("driver stack threads (gRPC, Netty, Ratis) %s", when)
                .noneMatch(DriverResourceLeakIT::driverStack);
        if (before.fds() >= 0) {
            assertThat(after.sockets()).as("open sockets %s", when).isLessThanOrEqualTo(before.sockets() + SOCKET_SLACK);
            assertThat(after.fds()).as("open file descriptors %s", when).isLessThanOrEqualTo(before.fds() + FD_SLACK);
        }
    }

    /** One connection through each path first, so JVM-wide state (shared by design) is in the baseline. */
    private static void warmUp(String live, String nobody) throws SQLException {
        try (Connection c = DriverManager.getConnection(live); Statement s = c.createStatement()) {
            s.executeQuery("SELECT 1").close();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(nobody)).isInstanceOf(SQLException.class);
    }

    /**
     * Starts a write on a dead cluster (in a thread of its own, which ends with the write) and closes the
     * connection while the write is being retried: the write ends at once with 08003, long before its deadline.
     */
    private static void closeMidWrite(Connection c) throws Exception {
        Statement s = c.createStatement();
        CompletableFuture<SQLException> write = new CompletableFuture<>();
        Thread writer = new Thread(() -> {
            try {
                s.executeUpdate("INSERT INTO t VALUES (-2)");
                write.complete(null);
            } catch (SQLException e) {
                write.complete(e);
            }
        }, "close-mid-write");
        writer.start();
        Awaitility.await("the write is being retried").pollInSameThread().pollDelay(Duration.ofMillis(100))
                .atMost(Duration.ofSeconds(5)).until(() -> !write.isDone());
        c.close();
        SQLException failure = write.get(10, TimeUnit.SECONDS);
        assertThat((Throwable) failure).as("the write fails once its connection is closed").isNotNull();
        assertThat(failure.getSQLState()).as(failure.getMessage()).isEqualTo("08003");
        writer.join(10_000);
    }

    /**
     * Resources once the driver is idle: gRPC destroys its shared event loops and executors a second after the
     * last channel is gone, so wait (bounded) for the thread count to come within the slack of {@code before}.
     */
    /** Threads of the driver's stack; on a loaded machine gRPC's shared executor may take seconds to wind down. */
    private static boolean driverStack(String threadName) {
        return threadName.startsWith("grpc") || threadName.contains("ELG") || threadName.startsWith("timer")
                || threadName.contains("client-workers");
    }

    private static DriverResources settled(DriverResources before) {
        if (before == null) {
            return Awaitility.await("threads settle").pollInSameThread().pollDelay(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(30)).until(DriverResources::now, r -> true);
        }
        try {
            return Awaitility.await("threads return to the baseline").pollInSameThread()
                    .pollInterval(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30))
                    .until(DriverResources::now, r -> r.threads() <= before.threads() + THREAD_SLACK
                            && r.threadGrowthSince(before).keySet().stream().noneMatch(DriverResourceLeakIT::driverStack)
                            && (r.sockets() < 0 || r.sockets() <= before.sockets() + SOCKET_SLACK));
        } catch (ConditionTimeoutException e) {
            return DriverResources.now(); // the assertions say what grew
        }
    }
}
