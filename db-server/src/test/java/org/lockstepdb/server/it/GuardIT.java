package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.ClusterClient;
import org.lockstepdb.jdbc.ConnectionUrl;
import org.lockstepdb.jdbc.ReadConsistency;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.server.LockstepNode;

/**
 * The determinism guard end to end (docs/SQL.md): on the leader for writes (a rejected statement rejects the
 * whole write, nothing reaches the log), on every replica for reads, rewrites of time functions, and H2's
 * non-reserved words as column names.
 */
class GuardIT {
    @TempDir
    static Path dir;
    static TestCluster cluster;
    static Connection connection;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(dir, 3);
        connection = DriverManager.getConnection(cluster.url());
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY, body VARCHAR(10000))");
            s.executeUpdate("INSERT INTO t VALUES (1, 'one')");
            s.executeUpdate("CREATE SEQUENCE s");
        }
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        cluster.close();
    }

    @Test
    void batchWithAForbiddenFunctionInItsSecondStatementIsRejectedAsAWhole() throws Exception {
        String before = Replicas.assertConverged(cluster.runningNodes());
        long rows = count("SELECT COUNT(*) FROM t");
        try (Statement s = connection.createStatement()) {
            s.addBatch("UPDATE t SET body = 'changed' WHERE id = 1");
            s.addBatch("INSERT INTO t VALUES (2, FILE_READ('/etc/passwd'))");
            assertThatThrownBy(s::executeBatch).isInstanceOf(BatchUpdateException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42L01"))
                    .hasMessageContaining("FILE_READ")
                    .hasMessageContaining("statement 2 of the batch");
        }
        assertThat(Replicas.assertConverged(cluster.runningNodes())).as("no replica changed").isEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM t")).isEqualTo(rows);
        assertThat(string("SELECT body FROM t WHERE id = 1")).isEqualTo("one");
    }

    @Test
    void readsWithForbiddenFunctionsAreRejectedOnEveryPath() throws Exception {
        String before = Replicas.assertConverged(cluster.runningNodes());
        for (String read : List.of("linearizable", "follower", "stale")) {
            try (Connection c = DriverManager.getConnection(cluster.url("read=" + read))) {
                assertRejected(() -> query(c, "SELECT FILE_READ('/etc/passwd')"), "42L01", "FILE_READ");
                assertRejected(() -> query(c, "SELECT DATABASE_PATH()"), "42L01", "DATABASE_PATH");
                // the driver sends a query that draws a sequence value through the log (QueriesThatWriteIT); the
                // read path itself must still refuse it
                try (ClusterClient raw = ClusterClient.connect(ConnectionUrl.parse(cluster.url("read=" + read)))) {
                    assertRejected(() -> raw.query(new QueryRequest("SELECT NEXT VALUE FOR s", List.of(), 0),
                            ReadConsistency.valueOf(read.toUpperCase(java.util.Locale.ROOT)), 0), "42L07",
                            "NEXT VALUE FOR");
                }
                assertRejected(() -> query(c, "SELECT id FROM t WHERE body <> FILE_READ('/etc/passwd')"), "42L01",
                        "FILE_READ");
                assertThat(query(c, "SELECT COUNT(*) FROM t")).as("%s reads still work", read).isNotNull();
            }
        }
        assertThat(Replicas.assertConverged(cluster.runningNodes())).isEqualTo(before);
        for (LockstepNode node : cluster.runningNodes()) {
            Reply reply = node.stateMachine().store().query(new QueryRequest(
                    "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'S'", List.of(), 0));
            assertThat(reply).isInstanceOf(QueryResult.class);
            assertThat(((Number) ((QueryResult) reply).data().rows().get(0).get(0).value()).longValue())
                    .as("sequence on %s did not advance", node.id()).isEqualTo(1);
        }
    }

    @Test
    void ddlWithDefaultsTheReplicasCannotComputeAlikeIsRejected() throws Exception {
        String before = Replicas.assertConverged(cluster.runningNodes());
        assertRejected(() -> update("CREATE TABLE d1 (id INT PRIMARY KEY, r DOUBLE DEFAULT RAND(42))"),
                "42L02", "without arguments");
        assertRejected(() -> update("CREATE TABLE d2 (id INT PRIMARY KEY, at TIMESTAMP AS (CURRENT_TIMESTAMP))"),
                "42L02", "generated column");
        assertRejected(() -> update("ALTER TABLE t ADD COLUMN at DATE CHECK (at <= CURRENT_DATE)"),
                "42L02", "CHECK");
        assertThat(Replicas.assertConverged(cluster.runningNodes())).isEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME IN ('D1', 'D2')")).isZero();
        assertThat(count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'T'")).isEqualTo(2);
    }

    @Test
    void twoStatementsInOneStringAreRejected() throws Exception {
        String before = Replicas.assertConverged(cluster.runningNodes());
        long rows = count("SELECT COUNT(*) FROM t");
        assertRejected(() -> update("INSERT INTO t VALUES (3, 'three'); DROP TABLE t"), "0AL01", null);
        assertThat(Replicas.assertConverged(cluster.runningNodes())).isEqualTo(before);
        assertThat(count("SELECT COUNT(*) FROM t")).as("table t still exists, unchanged").isEqualTo(rows);
    }

    @Test
    void currentTimestampInAWriteIsTheLeadersStamp() throws Exception {
        update("CREATE TABLE ev (id INT PRIMARY KEY, at TIMESTAMP WITH TIME ZONE)");
        long before = System.currentTimeMillis();
        try (Statement s = connection.createStatement()) {
            assertThat(s.executeUpdate("INSERT INTO ev VALUES (1, CURRENT_TIMESTAMP)")).isEqualTo(1);
        }
        long after = System.currentTimeMillis();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT at FROM ev WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
            assertThat(at.toInstant().toEpochMilli()).isBetween(before, after);
        }
        Replicas.assertConverged(cluster.runningNodes());
    }

    @Test
    void wordsThatAreReservedElsewhereWorkAsColumnNames() throws Exception {
        update("CREATE TABLE ev2 (id INT PRIMARY KEY, date DATE, time TIME, count INT, position INT)");
        try (PreparedStatement p = connection.prepareStatement(
                "INSERT INTO ev2 (id, date, time, count, position) VALUES (?, ?, ?, ?, ?)")) {
            p.setInt(1, 1);
            p.setObject(2, LocalDate.of(2026, 3, 1));
            p.setObject(3, LocalTime.of(12, 30, 5));
            p.setInt(4, 7);
            p.setInt(5, 2);
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
        try (PreparedStatement p = connection.prepareStatement(
                "UPDATE ev2 SET count = count + 1, position = position * 10 WHERE date = ? AND time < ?")) {
            p.setObject(1, LocalDate.of(2026, 3, 1));
            p.setObject(2, LocalTime.of(13, 0));
            assertThat(p.executeUpdate()).isEqualTo(1);
        }
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT date, time, count, position FROM ev2 WHERE id = ? ORDER BY date, time")) {
            p.setInt(1, 1);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject("date", LocalDate.class)).isEqualTo(LocalDate.of(2026, 3, 1));
                assertThat(rs.getObject("time", LocalTime.class)).isEqualTo(LocalTime.of(12, 30, 5));
                assertThat(rs.getInt("count")).isEqualTo(8);
                assertThat(rs.getInt("position")).isEqualTo(20);
                assertThat(rs.next()).isFalse();
            }
        }
        Replicas.assertConverged(cluster.runningNodes());
    }

    private static void assertRejected(ThrowingCallable bad, String sqlState, String messagePart) {
        assertThatThrownBy(bad).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("%s", e.getMessage()).isEqualTo(sqlState))
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank())
                .satisfies(e -> {
                    if (sqlState.startsWith("42")) {
                        assertThat(e).isInstanceOf(SQLSyntaxErrorException.class);
                    }
                    if (messagePart != null) {
                        assertThat(e.getMessage()).containsIgnoringCase(messagePart);
                    }
                });
    }

    private static void update(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static Object query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    private static long count(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }

    private static String string(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }
}
