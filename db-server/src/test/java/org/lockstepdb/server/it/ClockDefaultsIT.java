package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.server.LockstepNode;

/**
 * Clock and random column defaults (docs/SQL.md, "Defaults"), and H2's implicit clock reads: every replica stores
 * exactly the instant the leader stamped on the log entry that wrote the row, and the same seeded UUID and RAND
 * values, for rows written by INSERT, INSERT … SELECT, MERGE, UPDATE (ON UPDATE) and ALTER TABLE … ADD COLUMN
 * (H2 commits before DDL; the replicas pin the clock again at the start of every statement);
 * and so does a replica rebuilt later from a snapshot, and one that replays the whole log after a crash. (The
 * date cannot be changed here, but a replay seconds later would store other milliseconds without the pin.)
 */
class ClockDefaultsIT {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    TestCluster cluster;

    @Test
    void defaultsAndImplicitClockReadsAreTheEntrysStampOnEveryReplicaAndAfterRebuilds() throws Exception {
        try (TestCluster started = TestCluster.start(dir, 3, o -> o.withSnapshots(0, 2))) {
            cluster = started;
            try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=30000"));
                 Statement s = c.createStatement()) {
                write(s, "CREATE TABLE ev (id INT PRIMARY KEY, grp INT, ts TIMESTAMP, "
                        + "created TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP, d DATE DEFAULT CURRENT_DATE, "
                        + "changed TIMESTAMP(3) DEFAULT LOCALTIMESTAMP ON UPDATE LOCALTIMESTAMP, "
                        + "u UUID DEFAULT RANDOM_UUID(), r DOUBLE PRECISION DEFAULT RAND())");
                // Flyway's history table
                write(s, "CREATE TABLE hist (installed_rank INT PRIMARY KEY, "
                        + "installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
                long inserted = write(s, "INSERT INTO ev (id, ts) VALUES (1, TIME '10:00:00')");
                long selected = write(s, "INSERT INTO ev (id, grp) SELECT X + 10, MOD(X, 2) FROM SYSTEM_RANGE(1, 5)");
                long merged = write(s, "MERGE INTO ev (id, grp) KEY (id) VALUES (1, 7), (30, 1)");
                long updated = write(s, "UPDATE ev SET grp = grp + 100, ts = CAST(TIME '23:00:00' AS TIMESTAMP) "
                        + "WHERE id IN (11, 12)");
                long flyway = write(s, "INSERT INTO hist (installed_rank) VALUES (1)");
                assertRow(s, 1, "10:00", inserted, inserted, merged, null); // MERGE changed grp: ON UPDATE fired
                for (int id = 11; id <= 15; id++) {
                    boolean wasUpdated = id <= 12;
                    assertRow(s, id, wasUpdated ? "23:00" : null, wasUpdated ? updated : selected, selected,
                            wasUpdated ? updated : selected, null);
                }
                assertRow(s, 30, null, merged, merged, merged, null);
                // DDL filling the existing rows: H2 commits before it runs DDL, the replicas pin the clock again
                long added = write(s, "ALTER TABLE ev ADD COLUMN added TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP");
                // and a DDL conversion of TIME to TIMESTAMP takes the date of the entry
                write(s, "ALTER TABLE ev ADD COLUMN tm TIME DEFAULT TIME '12:00:00'");
                long converted = write(s, "ALTER TABLE ev ALTER COLUMN tm SET DATA TYPE TIMESTAMP");
                try (ResultSet rs = s.executeQuery("SELECT DISTINCT tm FROM ev")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getObject(1, LocalDateTime.class))
                            .isEqualTo(LocalDateTime.parse(utc(converted).toLocalDate() + "T12:00"));
                    assertThat(rs.next()).isFalse();
                }
                // a random default does fill existing rows: the seeded stream lives on through H2's commit
                write(s, "ALTER TABLE ev ADD COLUMN token UUID DEFAULT UUID()");
                assertThat(List.of(inserted, selected, merged, updated, flyway, added)).doesNotHaveDuplicates();

                assertThat(count(s, "SELECT COUNT(*) FROM ev WHERE added = TIMESTAMP WITH TIME ZONE '"
                        + Instant.ofEpochMilli(added) + "'")).as("rows filled by ALTER TABLE … ADD").isEqualTo(7);
                try (ResultSet rs = s.executeQuery("SELECT installed_on FROM hist")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getObject(1, LocalDateTime.class)).isEqualTo(utc(flyway));
                }
                List<UUID> uuids = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT u, r FROM ev ORDER BY id")) {
                    while (rs.next()) {
                        uuids.add(rs.getObject(1, UUID.class));
                        assertThat(rs.getDouble(2)).isBetween(0.0, 1.0);
                    }
                }
                assertThat(uuids).hasSize(7).doesNotHaveDuplicates().allMatch(u -> u.version() == 4);
                try (ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT token), COUNT(*) FROM ev")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(7).isEqualTo(rs.getInt(2));
                }
                // what tools see: the default is the seeded function LockstepDB stored for RANDOM_UUID()
                try (ResultSet rs = s.executeQuery("SELECT COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS "
                        + "WHERE TABLE_NAME = 'EV' AND COLUMN_NAME IN ('U', 'CREATED') ORDER BY COLUMN_NAME")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("CURRENT_TIMESTAMP");
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("\"LOCKSTEP_FN\".\"SEEDED_RANDOM_UUID\"()");
                }
            }
            List<List<Object>> expected = StoreQueries.rows(cluster.leader().stateMachine().store(),
                    "SELECT * FROM ev ORDER BY id");

            // n2: rebuilt from its snapshot (plus the log after it); n3: replays the whole log after a "crash"
            LockstepNode leader = cluster.leader();
            List<String> followers = cluster.runningNodes().stream().map(LockstepNode::id)
                    .filter(id -> !id.equals(leader.id())).toList();
            String rebuilt = followers.get(0);
            String crashed = followers.get(1);
            try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=30000"))) {
                c.unwrap(LockstepConnection.class).admin().snapshot(rebuilt);
            }
            Path rebuiltDb = cluster.options(rebuilt).databaseDir();
            Path crashedDb = cluster.options(crashed).databaseDir();
            try (Connection c = DriverManager.getConnection(cluster.url("timeoutMs=30000"));
                 Statement s = c.createStatement()) {
                cluster.stopNode(rebuilt);
                deleteRecursively(rebuiltDb.resolve("h2"));
                cluster.startNode(rebuilt);
                long later = write(s, "INSERT INTO ev (id) VALUES (40)");
                cluster.stopNode(crashed);
                Files.delete(crashedDb.resolve("CLEAN_SHUTDOWN"));
                cluster.startNode(crashed);
                long last = write(s, "INSERT INTO ev (id) VALUES (41)");
                assertRow(s, 40, null, later, later, later, later);
                assertRow(s, 41, null, last, last, last, last);
                expected.addAll(StoreQueries.rows(cluster.leader().stateMachine().store(),
                        "SELECT * FROM ev WHERE id >= 40 ORDER BY id"));
                Replicas.assertConverged(cluster.runningNodes());
                for (LockstepNode n : cluster.runningNodes()) {
                    assertThat(StoreQueries.rows(n.stateMachine().store(), "SELECT * FROM ev ORDER BY id"))
                            .as("rows on %s", n.id()).isEqualTo(expected);
                }
                LockstepAdmin.VerifyReport report = c.unwrap(LockstepConnection.class).admin().verify();
                assertThat(report.replicas()).hasSize(3).allMatch(LockstepAdmin.ReplicaChecksum::answered);
                assertThat(report.consistent()).as("%s", report).isTrue();
            }

            // the replica's own query path refuses FOR UPDATE, whatever the server's guard let through
            for (LockstepNode n : cluster.runningNodes()) {
                assertThat(n.stateMachine().store().query(new QueryRequest("SELECT * FROM ev FOR UPDATE", List.of(), 0)))
                        .isInstanceOfSatisfying(ErrorReply.class, e -> assertThat(e.sqlState()).isEqualTo("25006"));
            }
        }
    }

    /** Runs one write alone and returns the stamp the leader put on its log entry (read back from the Raft log). */
    private long write(Statement s, String sql) throws Exception {
        s.executeUpdate(sql);
        long index = s.getConnection().unwrap(LockstepConnection.class).lastWriteIndex();
        WriteRequest logged = cluster.loggedWrite(index);
        assertThat(logged.statements().get(0).sql()).as("the entry at %d", index).startsWith(sql.substring(0, 20));
        assertThat(logged.stampMillis()).isPositive();
        return logged.stampMillis();
    }

    /**
     * Row {@code id}: ts ({@code HH:MM} or null) on the date of {@code tsStamp}, the entry that wrote it; created
     * and d at {@code created}, changed at {@code changed}, added at {@code added} (null: not checked).
     */
    private static void assertRow(Statement s, int id, String time, long tsStamp, long created, long changed,
            Long added) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT * FROM ev WHERE id = " + id)) {
            assertThat(rs.next()).as("row %d", id).isTrue();
            LocalDateTime ts = rs.getObject("TS", LocalDateTime.class);
            if (time == null) {
                assertThat(ts).as("ts of %d", id).isNull();
            } else {
                assertThat(ts).as("ts of %d: a TIME stored on the entry's date", id)
                        .isEqualTo(LocalDateTime.parse(utc(tsStamp).toLocalDate() + "T" + time));
            }
            assertThat(rs.getObject("CREATED", OffsetDateTime.class).toInstant()).as("created of %d", id)
                    .isEqualTo(Instant.ofEpochMilli(created));
            assertThat(rs.getObject("D", LocalDate.class)).as("d of %d", id).isEqualTo(utc(created).toLocalDate());
            assertThat(rs.getObject("CHANGED", LocalDateTime.class)).as("changed of %d", id).isEqualTo(utc(changed));
            if (added != null) {
                assertThat(rs.getObject("ADDED", OffsetDateTime.class).toInstant()).as("added of %d", id)
                        .isEqualTo(Instant.ofEpochMilli(added));
            }
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static LocalDateTime utc(long millis) {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    private static void deleteRecursively(Path p) throws Exception {
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
