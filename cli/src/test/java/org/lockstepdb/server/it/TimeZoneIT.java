package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.storage.SqlStore;

/**
 * {@code INSERT ... VALUES (CURRENT_TIMESTAMP, ...)} and {@code UPDATE ... SET t = NOW()} on a 3-replica cluster
 * whose replica JVMs run with different default time zones (and one with a Turkish default locale): every
 * replica stores identical values, equal to the leader's stamp (one instant per log entry, within the client's
 * clock window around the write). RAND()/RANDOM_UUID() per row are identical on every replica too, and so are
 * clock and random column defaults and a TIME stored into a TIMESTAMP column (the date of the entry's stamp).
 */
class TimeZoneIT extends WithProcessCluster {
    @Test
    void timeAndRandomFunctionsGiveIdenticalValuesOnReplicasInDifferentTimeZones() throws Exception {
        Map<String, List<String>> jvmOptions = new LinkedHashMap<>();
        jvmOptions.put("n1", List.of("-Duser.timezone=UTC"));
        jvmOptions.put("n2", List.of("-Duser.timezone=America/Los_Angeles", "-Duser.language=tr", "-Duser.country=TR"));
        jvmOptions.put("n3", List.of("-Duser.timezone=Asia/Kolkata"));
        cluster = ProcessCluster.start(dir, jvmOptions);
        List<ProcessNode> nodes = cluster.nodes();
        String url = cluster.url();

        Map<Integer, Instant> stamps = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE ev (id INT PRIMARY KEY, tz TIMESTAMP WITH TIME ZONE, lt TIMESTAMP, "
                    + "d DATE, t TIME, r DOUBLE, u UUID, name VARCHAR(40))");

            // One statement with all four time functions: one instant (the leader's stamp) behind all of them.
            long before = System.currentTimeMillis();
            assertThat(s.executeUpdate("INSERT INTO ev (id, tz, lt, d, t) "
                    + "VALUES (1, CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_DATE, LOCALTIME)")).isEqualTo(1);
            long after = System.currentTimeMillis();
            Instant stamp = assertTimesOfRow(c, 1, before, after);
            stamps.put(1, stamp);

            // A batch is one log entry: both statements get the same instant.
            s.addBatch("INSERT INTO ev (id, tz, lt) VALUES (2, CURRENT_TIMESTAMP, NOW())");
            s.addBatch("insert into ev (id, tz, lt) values (3, current_timestamp, now())"); // lower case on a tr JVM
            before = System.currentTimeMillis();
            assertThat(s.executeBatch()).containsExactly(1, 1);
            after = System.currentTimeMillis();
            Instant batch2 = assertTimestampPair(c, 2, before, after);
            Instant batch3 = assertTimestampPair(c, 3, before, after);
            assertThat(batch3).as("both statements of one batch get the entry's instant").isEqualTo(batch2);
            stamps.put(2, batch2);
            stamps.put(3, batch3);

            // UPDATE ... SET t = NOW(): a later entry, a later (or equal) stamp, same on every replica.
            Thread.sleep(5);
            before = System.currentTimeMillis();
            assertThat(s.executeUpdate("UPDATE ev SET lt = NOW(), tz = CURRENT_TIMESTAMP, t = NOW(), "
                    + "d = CURRENT_DATE WHERE id = 1")).isEqualTo(1);
            after = System.currentTimeMillis();
            Instant updated = assertTimesOfRow(c, 1, before, after);
            assertThat(updated).isAfter(stamp);
            stamps.put(1, updated);

            // Per-row random values, per statement execution of a prepared batch, and locale-sensitive functions.
            s.executeUpdate("INSERT INTO ev (id) SELECT X + 100 FROM SYSTEM_RANGE(1, 50)");
            assertThat(s.executeUpdate("UPDATE ev SET r = RAND(), u = RANDOM_UUID() WHERE id > 100")).isEqualTo(50);
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO ev (id, r, u, name) VALUES (?, RAND(), RANDOM_UUID(), UPPER(?))")) {
                for (int i = 200; i < 210; i++) {
                    p.setInt(1, i);
                    p.setString(2, "title " + i);
                    p.addBatch();
                }
                assertThat(p.executeBatch()).hasSize(10);
            }
            assertThat(s.executeUpdate("UPDATE ev SET name = LOWER('IDLE ' || DAYNAME(d) || ' ' || MONTHNAME(d)) "
                    + "WHERE id = 1")).isEqualTo(1);

            List<Double> rands = new ArrayList<>();
            List<UUID> uuids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT r, u FROM ev WHERE id > 100 ORDER BY id")) {
                while (rs.next()) {
                    rands.add(rs.getDouble(1));
                    uuids.add(rs.getObject(2, UUID.class));
                }
            }
            assertThat(rands).hasSize(60).allMatch(r -> r >= 0 && r < 1);
            assertThat(new HashSet<>(rands)).as("RAND() draws a new value per row and per execution").hasSize(60);
            assertThat(uuids).doesNotContainNull().allMatch(u -> u.version() == 4);
            assertThat(new HashSet<>(uuids)).hasSize(60);
            try (ResultSet rs = s.executeQuery("SELECT name FROM ev WHERE id IN (1, 200) ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("LOWER on every replica with the root locale").startsWith("idle ")
                        .doesNotContain("\u0131");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("UPPER on every replica with the root locale").isEqualTo("TITLE 200");
            }

            // Clock and random defaults and a TIME stored into a TIMESTAMP: H2 reads the clock with no function
            // written, and every replica's clock is the entry's stamp (one instant for all rows of the entry).
            s.executeUpdate("CREATE TABLE dv (id INT PRIMARY KEY, ts TIMESTAMP, "
                    + "created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP, d DATE DEFAULT CURRENT_DATE, "
                    + "lt TIMESTAMP DEFAULT LOCALTIMESTAMP ON UPDATE LOCALTIMESTAMP, u UUID DEFAULT RANDOM_UUID())");
            before = System.currentTimeMillis();
            assertThat(s.executeUpdate("INSERT INTO dv (id, ts) SELECT X, TIME '10:00:00' FROM SYSTEM_RANGE(1, 5)"))
                    .isEqualTo(5);
            after = System.currentTimeMillis();
            try (ResultSet rs = s.executeQuery("SELECT COUNT(DISTINCT created), COUNT(DISTINCT u), MIN(created), "
                    + "MIN(lt), MIN(d), MIN(ts) FROM dv")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("one stamp for the entry").isEqualTo(1);
                assertThat(rs.getInt(2)).as("a UUID per row").isEqualTo(5);
                Instant created = rs.getObject(3, OffsetDateTime.class).toInstant();
                assertThat(created.toEpochMilli()).isBetween(before, after);
                LocalDateTime utc = LocalDateTime.ofInstant(created, ZoneOffset.UTC);
                assertThat(rs.getObject(4, LocalDateTime.class)).isEqualTo(utc);
                assertThat(rs.getObject(5, LocalDate.class)).isEqualTo(utc.toLocalDate());
                assertThat(rs.getObject(6, LocalDateTime.class)).as("TIME '10:00:00' on the stamp's UTC date")
                        .isEqualTo(utc.toLocalDate().atTime(10, 0));
            }

            // All three replicas checksum their data at one log index.
            LockstepAdmin.VerifyReport report = c.unwrap(LockstepConnection.class).admin().verify();
            assertThat(report.replicas()).hasSize(3).allMatch(LockstepAdmin.ReplicaChecksum::answered);
            assertThat(report.consistent()).as("%s", report).isTrue();
        }

        // Stop cleanly and read every replica's own H2 files.
        for (ProcessNode n : nodes) {
            n.stop();
        }
        for (ProcessNode n : nodes) {
            assertThat(Files.readString(dir.resolve(n.id() + ".out"))).as("%s started", n.id()).contains("serving on");
        }
        assertThat(Files.readString(dir.resolve("n2.out"))).as("the Turkish JVM pinned its locale")
                .contains("setting the JVM default locale from tr_TR to ROOT");
        List<String> checksums = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        List<List<List<Value>>> contents = new ArrayList<>();
        for (ProcessNode n : nodes) {
            try (SqlStore store = SqlStore.open(n.dataDir().resolve("db"))) {
                assertThat(store.recoveredFromCrash()).as("%s was stopped cleanly", n.id()).isFalse();
                checksums.add(store.checksums().checksum());
                indexes.add(store.appliedIndex().index());
                List<List<Value>> rows = rows(store, "SELECT * FROM ev ORDER BY id");
                assertThat(rows).as("rows on %s", n.id()).hasSize(63);
                rows = new ArrayList<>(rows);
                rows.addAll(rows(store, "SELECT * FROM dv ORDER BY id"));
                contents.add(rows);
                for (Map.Entry<Integer, Instant> e : stamps.entrySet()) {
                    List<Value> row = rows(store, "SELECT tz, lt FROM ev WHERE id = " + e.getKey()).get(0);
                    assertThat(((OffsetDateTime) row.get(0).value()).toInstant()).as("tz of %d on %s", e.getKey(), n.id())
                            .isEqualTo(e.getValue());
                    assertThat(((LocalDateTime) row.get(1).value()).toInstant(ZoneOffset.UTC))
                            .as("lt of %d on %s", e.getKey(), n.id()).isEqualTo(e.getValue());
                }
            }
        }
        assertThat(indexes).containsOnly(indexes.get(0));
        for (int i = 1; i < contents.size(); i++) {
            assertThat(contents.get(i)).as("rows of %s equal those of %s", nodes.get(i).id(), nodes.get(0).id())
                    .isEqualTo(contents.get(0));
        }
        assertThat(checksums).containsOnly(checksums.get(0));
    }

    /**
     * Row {@code id} holds CURRENT_TIMESTAMP, LOCALTIMESTAMP, CURRENT_DATE and LOCALTIME (or NOW()) of one statement:
     * one instant within [before, after] (the leader's clock is this machine's clock), seen in UTC.
     */
    private static Instant assertTimesOfRow(Connection c, int id, long before, long after) throws SQLException {
        Instant stamp = assertTimestampPair(c, id, before, after);
        LocalDateTime utc = LocalDateTime.ofInstant(stamp, ZoneOffset.UTC);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT d, t FROM ev WHERE id = " + id)) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, LocalDate.class)).as("CURRENT_DATE is the stamp's UTC date")
                    .isEqualTo(utc.toLocalDate());
            // TIME(0): H2 rounds half up to the second and clamps at the end of the day.
            LocalDateTime rounded = utc.plusNanos(500_000_000L).truncatedTo(ChronoUnit.SECONDS);
            LocalTime expected = rounded.toLocalDate().equals(utc.toLocalDate()) ? rounded.toLocalTime()
                    : LocalTime.of(23, 59, 59);
            assertThat(rs.getObject(2, LocalTime.class)).as("LOCALTIME is the stamp's UTC time of day").isEqualTo(expected);
        }
        return stamp;
    }

    /** CURRENT_TIMESTAMP (tz) and LOCALTIMESTAMP/NOW() (lt, UTC) of row {@code id}: the same instant, in the window. */
    private static Instant assertTimestampPair(Connection c, int id, long before, long after) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT tz, lt FROM ev WHERE id = " + id)) {
            assertThat(rs.next()).isTrue();
            OffsetDateTime tz = rs.getObject(1, OffsetDateTime.class);
            LocalDateTime lt = rs.getObject(2, LocalDateTime.class);
            assertThat(tz.getOffset()).as("CURRENT_TIMESTAMP in UTC").isEqualTo(ZoneOffset.UTC);
            Instant instant = tz.toInstant();
            assertThat(instant.toEpochMilli()).as("stamp of row %d within the client's clock window", id)
                    .isBetween(before, after);
            assertThat(instant.getNano() % 1_000_000).as("the stamp has millisecond precision").isZero();
            assertThat(lt.toInstant(ZoneOffset.UTC)).as("LOCALTIMESTAMP (UTC) of row %d is the same instant", id)
                    .isEqualTo(instant);
            return instant;
        }
    }

    private static List<List<Value>> rows(SqlStore store, String sql) {
        Reply reply = store.query(new QueryRequest(sql, List.of(), 0));
        assertThat(reply).as(sql).isInstanceOf(QueryResult.class);
        return ((QueryResult) reply).data().rows();
    }
}
