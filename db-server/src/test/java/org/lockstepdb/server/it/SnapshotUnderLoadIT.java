package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.ratis.statemachine.SnapshotInfo;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.server.LockstepNode;
import org.lockstepdb.storage.OfflineRestore;
import org.lockstepdb.storage.SnapshotFile;
import org.lockstepdb.storage.SnapshotHeader;
import org.lockstepdb.storage.SqlStore;

/**
 * Issue: "Snapshots taken while writers are running: after the run, no write is lost or duplicated on any replica,
 * and restarts from each retained snapshot give the same data."
 *
 * <p>Every write is one entry that bumps a counter and inserts an (writer, seq) event: in any state of the database
 * (and so in every snapshot) the counter equals the number of events, and after the run each acknowledged event is
 * there exactly once (events has no key, so an entry applied twice would show as a duplicate).
 */
class SnapshotUnderLoadIT {
    private static final long SNAPSHOT_INTERVAL = 50;
    private static final int RETAINED = 2;
    private static final int WRITERS = 3;
    private static final int WRITES_PER_WRITER = 500;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void snapshotsUnderConcurrentWritesLoseAndDuplicateNothing() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, o -> o.withSnapshots(SNAPSHOT_INTERVAL, RETAINED))) {
            String url = cluster.url("timeoutMs=30000");
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE counters (id INT PRIMARY KEY, n BIGINT NOT NULL)");
                s.executeUpdate("INSERT INTO counters VALUES (1, 0)");
                s.executeUpdate("CREATE TABLE events (writer INT NOT NULL, seq INT NOT NULL)"); // no key on purpose
            }

            // Watches every replica's latest registered snapshot while the writers run.
            Map<String, Set<Long>> registered = new ConcurrentHashMap<>();
            AtomicBoolean watching = new AtomicBoolean(true);
            List<LockstepNode> nodes = cluster.runningNodes();
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    for (LockstepNode n : nodes) {
                        SnapshotInfo latest = n.stateMachine().getLatestSnapshot();
                        if (latest != null) {
                            registered.computeIfAbsent(n.id(), k -> ConcurrentHashMap.newKeySet()).add(latest.getIndex());
                        }
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "snapshot-watcher");
            watcher.setDaemon(true);
            watcher.start();

            ConcurrentLinkedQueue<Long> acknowledged = new ConcurrentLinkedQueue<>(); // writer * 1_000_000 + seq
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    try (Connection c = DriverManager.getConnection(url)) {
                        // A JDBC batch of two different statements: one log entry, applied atomically.
                        try (Statement s = c.createStatement()) {
                            for (int seq = 0; seq < WRITES_PER_WRITER; seq++) {
                                s.addBatch("UPDATE counters SET n = n + 1 WHERE id = 1");
                                s.addBatch("INSERT INTO events (writer, seq) VALUES (" + writer + ", " + seq + ")");
                                try {
                                    int[] counts = s.executeBatch();
                                    if (counts.length == 2 && counts[0] == 1 && counts[1] == 1) {
                                        acknowledged.add(writer * 1_000_000L + seq);
                                    } else {
                                        failures.add(new AssertionError("update counts " + java.util.Arrays.toString(counts)));
                                    }
                                } catch (SQLException ex) {
                                    failures.add(ex); // not acknowledged: may be present once, never twice
                                    s.clearBatch();
                                }
                            }
                        }
                    } catch (SQLException ex) {
                        failures.add(ex);
                    }
                }, "writer-" + w);
                writers.add(t);
                t.start();
            }
            for (Thread t : writers) {
                t.join(120_000);
                assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
            }
            assertThat(failures).as("failed writes").isEmpty();
            assertThat(acknowledged).hasSize(WRITERS * WRITES_PER_WRITER);

            // One more write so a copy that finished after the last write gets registered.
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE counters SET n = n + 0 WHERE id = 1");
            }
            Thread.sleep(300);
            watching.set(false);
            watcher.join(5_000);
            for (LockstepNode n : nodes) {
                Set<Long> seen = registered.getOrDefault(n.id(), Set.of());
                System.out.printf("SnapshotUnderLoadIT: %s registered %d snapshots during the run: %s%n", n.id(),
                        seen.size(), new TreeSet<>(seen));
                assertThat(seen).as("snapshots registered on %s during the run", n.id()).hasSizeGreaterThanOrEqualTo(2);
            }

            // Every replica: the same data, each acknowledged event exactly once, counter = acknowledged count.
            try (Connection c = DriverManager.getConnection(url)) {
                LockstepAdmin.VerifyReport report = c.unwrap(LockstepConnection.class).admin().verify();
                assertThat(report.consistent()).as("%s", report).isTrue();
            }
            Replicas.assertConverged(nodes);
            Set<Long> expected = new HashSet<>(acknowledged);
            for (LockstepNode n : nodes) {
                assertEventsExactlyOnce(n.stateMachine().store(), expected, n.id());
            }

            // Every retained snapshot on every replica is internally consistent and loads.
            Path scratch = Files.createDirectories(dir.resolve("scratch"));
            int checked = 0;
            for (LockstepNode n : nodes) {
                List<StoreQueries.SnapshotName> files = StoreQueries.snapshotFiles(cluster.snapshotDir(n.id()));
                assertThat(files).as("retained snapshots on %s", n.id()).isNotEmpty().hasSizeLessThanOrEqualTo(RETAINED);
                for (StoreQueries.SnapshotName f : files) {
                    Path copy = scratch.resolve(n.id() + "-" + f.file().getFileName());
                    try {
                        Files.copy(f.file(), copy); // retention may delete the original meanwhile
                    } catch (NoSuchFileException e) {
                        continue;
                    }
                    SnapshotHeader header = SnapshotFile.verify(copy);
                    assertThat(header.index()).as("header index of %s", f.file())
                            .isLessThanOrEqualTo(f.index()).isPositive();
                    assertThat(header.term()).as("header term of %s", f.file()).isLessThanOrEqualTo(f.term());
                    Path storeDir = scratch.resolve(n.id() + "-" + f.index() + "-db");
                    assertThat(OfflineRestore.restoreFrom(storeDir, copy).index()).isEqualTo(header.index());
                    try (SqlStore restored = SqlStore.open(storeDir)) {
                        assertThat(restored.appliedIndex().index()).isEqualTo(header.index());
                        long counter = StoreQueries.scalar(restored, "SELECT n FROM counters WHERE id = 1");
                        long events = StoreQueries.scalar(restored, "SELECT COUNT(*) FROM events");
                        assertThat(counter).as("counter vs events in %s", f.file()).isEqualTo(events);
                        assertThat(StoreQueries.rows(restored, "SELECT writer, seq FROM events GROUP BY writer, seq "
                                + "HAVING COUNT(*) > 1")).as("duplicates in %s", f.file()).isEmpty();
                        // Each writer's acknowledged writes are sequential: a snapshot holds a prefix of each.
                        for (List<Object> row : StoreQueries.rows(restored,
                                "SELECT writer, COUNT(*), MAX(seq) FROM events GROUP BY writer")) {
                            assertThat(((Number) row.get(1)).longValue() - 1).as("writer %s prefix in %s", row.get(0), f.file())
                                    .isEqualTo(((Number) row.get(2)).longValue());
                        }
                    }
                    checked++;
                }
            }
            assertThat(checked).as("snapshot files checked").isGreaterThanOrEqualTo(nodes.size());

            // A replica that lost its database rebuilds it from its latest snapshot plus the log after it.
            LockstepNode victim = cluster.runningNodes().stream().filter(n -> !isLeader(n)).findFirst().orElseThrow();
            String victimId = victim.id();
            long victimSnapshot = victim.stateMachine().getLatestSnapshot().getIndex();
            // At restart Ratis re-applies only the log after the latest snapshot, so the replica converges only if
            // it rebuilt the entries up to the snapshot from the snapshot file.
            cluster.stopNode(victimId);
            deleteRecursively(cluster.options(victimId).databaseDir());
            assertThat(cluster.options(victimId).databaseDir()).doesNotExist();
            LockstepNode rebuilt = cluster.startNode(victimId);
            assertThat(rebuilt.stateMachine().getLatestSnapshot().getIndex()).isGreaterThanOrEqualTo(victimSnapshot);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE counters SET n = n + 1 WHERE id = 1");
                s.executeUpdate("INSERT INTO events (writer, seq) VALUES (99, 0)");
            }
            expected.add(99 * 1_000_000L);
            Replicas.assertConverged(cluster.runningNodes());
            for (LockstepNode n : cluster.runningNodes()) {
                assertEventsExactlyOnce(n.stateMachine().store(), expected, n.id());
            }
        }
    }

    private static void assertEventsExactlyOnce(SqlStore store, Set<Long> expected, String replica) {
        List<List<Object>> rows = StoreQueries.rows(store, "SELECT writer, seq FROM events");
        List<Long> keys = rows.stream()
                .map(r -> ((Number) r.get(0)).longValue() * 1_000_000L + ((Number) r.get(1)).longValue()).toList();
        assertThat(new HashSet<>(keys)).as("events on %s", replica).hasSize(keys.size()); // no duplicates
        assertThat(new HashSet<>(keys)).as("events on %s", replica).isEqualTo(expected);
        assertThat(StoreQueries.scalar(store, "SELECT n FROM counters WHERE id = 1")).as("counter on %s", replica)
                .isEqualTo(expected.size());
    }

    private static boolean isLeader(LockstepNode n) {
        try {
            return n.isLeader();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void deleteRecursively(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
