package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.server.raft.PeerAddresses;
import org.lockstepdb.storage.SqlStore;

/**
 * Issue 2, test 3: replicas in their own JVMs; one is SIGKILLed in the middle of a stream of non-idempotent
 * writes, more writes land, it restarts. Its data equals the others' and the counter shows no entry applied
 * twice or skipped.
 */
class CrashReplayIT {
    @TempDir
    Path dir;
    final List<ProcessNode> nodes = new ArrayList<>();

    @AfterEach
    void killAll() throws InterruptedException {
        for (ProcessNode n : nodes) {
            n.close();
        }
    }

    @Test
    void killedReplicaReplaysToExactlyTheSameState() throws Exception {
        PeerAddresses peers = TestCluster.freePeers(3);
        for (String id : List.of("n1", "n2", "n3")) {
            nodes.add(new ProcessNode(id, dir.resolve(id), peers, List.of()).start());
        }
        String url = peers.jdbcUrl() + "?timeoutMs=30000";
        Awaitility.await("the JVMs start serving").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> {
                    try (Connection c = DriverManager.getConnection(url)) {
                        return c.isValid(5);
                    }
                });
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE counters (id INT PRIMARY KEY, n BIGINT NOT NULL)");
            s.executeUpdate("INSERT INTO counters VALUES (1, 0)");
        }

        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                while (running.get()) {
                    try {
                        assertThat(s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = 1")).isEqualTo(1);
                        acknowledged.incrementAndGet();
                    } catch (SQLException e) {
                        failed.incrementAndGet();
                    }
                }
            } catch (SQLException e) {
                failed.incrementAndGet();
            }
        }, "counter-writer");
        writer.start();

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.get() >= 300);
        ProcessNode victim = nodes.get(2);
        victim.kill();
        long atKill = acknowledged.get();
        Awaitility.await("writes continue without the victim").atMost(Duration.ofSeconds(60))
                .until(() -> acknowledged.get() >= atKill + 300);
        victim.start();
        Awaitility.await("writes continue after the restart").atMost(Duration.ofSeconds(60))
                .until(() -> acknowledged.get() >= atKill + 600);
        running.set(false);
        writer.join(60_000);

        long counter;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT n FROM counters WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            counter = rs.getLong(1);
        }
        assertThat(java.nio.file.Files.readString(dir.resolve(victim.id() + ".out")))
                .as("the killed replica rebuilt its H2 state from the log")
                .contains("was not shut down cleanly");
        assertThat(failed.get()).as("failed increments").isZero();
        assertThat(counter).as("every acknowledged increment applied exactly once").isEqualTo(acknowledged.get());

        // Let commit indexes settle on every replica, then stop all cleanly and compare their data directories.
        Thread.sleep(3000);
        for (ProcessNode n : nodes) {
            n.stop();
        }
        List<String> checksums = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        for (ProcessNode n : nodes) {
            try (SqlStore store = SqlStore.open(n.dataDir().resolve("db"))) {
                assertThat(store.recoveredFromCrash()).as("%s was stopped cleanly", n.id()).isFalse();
                checksums.add(store.checksum());
                indexes.add(store.appliedIndex().index());
                assertThat(counterIn(store)).as("counter on %s", n.id()).isEqualTo(counter);
            }
        }
        assertThat(indexes).containsOnly(indexes.get(0));
        assertThat(checksums).containsOnly(checksums.get(0));
    }

    private static long counterIn(SqlStore store) {
        var reply = store.query(new org.lockstepdb.protocol.QueryRequest("SELECT n FROM counters WHERE id = 1",
                List.of(), 0));
        var result = (org.lockstepdb.protocol.QueryResult) reply;
        return (Long) result.data().rows().get(0).get(0).value();
    }
}
