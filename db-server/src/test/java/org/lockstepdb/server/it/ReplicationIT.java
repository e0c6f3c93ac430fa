package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 2, test 1: every common H2 type written through JDBC, read back typed, identical on all replicas. */
class ReplicationIT {
    @TempDir
    static Path dir;
    static TestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(dir, 3);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static final UUID ID = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    static final LocalDateTime TS = LocalDateTime.of(2026, 11, 27, 8, 30, 15, 123_456_000);
    static final OffsetDateTime TSZ = OffsetDateTime.of(2026, 11, 27, 8, 30, 15, 0, ZoneOffset.ofHours(9));

    @Test
    void everyTypeIsStoredAndReadBackIdenticallyOnEveryReplica() throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.url())) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE all_types (id INTEGER PRIMARY KEY, b BIGINT, sm SMALLINT, bo BOOLEAN,"
                        + " vc VARCHAR(100), ch CHAR(5), de DECIMAL(20,4), nu NUMERIC(10,2), d DOUBLE PRECISION, r REAL,"
                        + " dt DATE, tm TIME, ts TIMESTAMP, tsz TIMESTAMP WITH TIME ZONE, u UUID, vb VARBINARY(16),"
                        + " bl BLOB, cl CLOB, js JSON, nothing VARCHAR(10))");
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO all_types VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,? FORMAT JSON,?)")) {
                p.setInt(1, 1);
                p.setLong(2, 9_000_000_000L);
                p.setShort(3, (short) 7);
                p.setBoolean(4, true);
                p.setString(5, "héllo, wörld");
                p.setString(6, "ab");
                p.setBigDecimal(7, new BigDecimal("12345.6789"));
                p.setBigDecimal(8, new BigDecimal("-3.50"));
                p.setDouble(9, Math.PI);
                p.setFloat(10, 2.5f);
                p.setObject(11, LocalDate.of(1999, 12, 31));
                p.setObject(12, LocalTime.of(23, 59, 58));
                p.setObject(13, TS);
                p.setObject(14, TSZ);
                p.setObject(15, ID);
                p.setBytes(16, new byte[] {1, 2, 3, (byte) 0xff});
                p.setBytes(17, new byte[5000]);
                p.setString(18, "c".repeat(5000));
                p.setString(19, "{\"k\":[1,2,3]}");
                p.setNull(20, Types.VARCHAR);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM all_types")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject("id")).isEqualTo(1);
                assertThat(rs.getObject("b")).isEqualTo(9_000_000_000L);
                assertThat(rs.getShort("sm")).isEqualTo((short) 7);
                assertThat(rs.getObject("bo")).isEqualTo(Boolean.TRUE);
                assertThat(rs.getObject("vc")).isEqualTo("héllo, wörld");
                assertThat(rs.getString("ch")).isEqualTo("ab   ");
                assertThat(rs.getObject("de")).isEqualTo(new BigDecimal("12345.6789"));
                assertThat(rs.getBigDecimal("nu")).isEqualTo(new BigDecimal("-3.50"));
                assertThat(rs.getObject("d")).isEqualTo(Math.PI);
                assertThat(rs.getObject("r")).isEqualTo(2.5f);
                assertThat(rs.getObject("dt", LocalDate.class)).isEqualTo(LocalDate.of(1999, 12, 31));
                assertThat(rs.getDate("dt").toLocalDate()).isEqualTo(LocalDate.of(1999, 12, 31));
                assertThat(rs.getObject("tm", LocalTime.class)).isEqualTo(LocalTime.of(23, 59, 58));
                assertThat(rs.getObject("ts", LocalDateTime.class)).isEqualTo(TS);
                assertThat(rs.getTimestamp("ts").toLocalDateTime()).isEqualTo(TS);
                assertThat(rs.getObject("tsz")).isEqualTo(TSZ);
                assertThat(rs.getObject("u")).isEqualTo(ID);
                assertThat(rs.getBytes("vb")).containsExactly(1, 2, 3, 0xff);
                Blob blob = (Blob) rs.getObject("bl");
                assertThat(blob.length()).isEqualTo(5000);
                Clob clob = (Clob) rs.getObject("cl");
                assertThat(clob.getSubString(1, (int) clob.length())).isEqualTo("c".repeat(5000));
                assertThat(new String(rs.getBytes("js"), StandardCharsets.UTF_8)).isEqualTo("{\"k\":[1,2,3]}");
                assertThat(rs.getObject("nothing")).isNull();
                assertThat(rs.wasNull()).isTrue();
                assertThat(rs.getMetaData().getColumnType(rs.findColumn("tsz"))).isEqualTo(Types.TIMESTAMP_WITH_TIMEZONE);
                assertThat(rs.next()).isFalse();
            }
        }
        String checksum = Replicas.assertConverged(cluster.runningNodes());
        assertThat(checksum).isNotBlank();
    }

    @Test
    void batchesAreAppliedAtomicallyAndGeneratedKeysReturned() throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.url())) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE gk (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v VARCHAR(10))");
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO gk(v) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, "a");
                assertThat(p.executeUpdate()).isEqualTo(1);
                try (ResultSet keys = p.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong(1)).isEqualTo(1L);
                }
                for (String v : new String[] {"b", "c", "d"}) {
                    p.setString(1, v);
                    p.addBatch();
                }
                assertThat(p.executeBatch()).containsExactly(1, 1, 1);
            }
            try (Statement s = c.createStatement()) {
                s.addBatch("INSERT INTO gk(v) VALUES ('e')");
                s.addBatch("UPDATE gk SET v = 'A' WHERE v = 'a'");
                s.addBatch("DELETE FROM gk WHERE v = 'nope'");
                assertThat(s.executeBatch()).containsExactly(1, 1, 0);
                try (ResultSet rs = s.executeQuery("SELECT STRING_AGG(v, ',' ORDER BY id) FROM gk")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("A,b,c,d,e");
                }
            }
        }
        Replicas.assertConverged(cluster.runningNodes());
    }
}
