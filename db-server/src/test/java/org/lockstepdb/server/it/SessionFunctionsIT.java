package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepConnection;

/**
 * USER(), CURRENT_USER, SCHEMA(), CURRENT_SCHEMA … answer with each connection's own values on a real cluster, in
 * reads and in writes (every replica stores the same), and setSchema moves unqualified names of reads, writes and
 * DDL to that schema on every replica.
 */
class SessionFunctionsIT {
    @TempDir
    static Path dir;
    static ConnectedCluster shared;

    @BeforeAll
    static void start() throws Exception {
        shared = ConnectedCluster.start(dir, "CREATE SCHEMA \"Sales\"",
                "CREATE TABLE who (id INT PRIMARY KEY, u VARCHAR(100), s VARCHAR(100))",
                "CREATE TABLE \"Sales\".who (id INT PRIMARY KEY, u VARCHAR(100), s VARCHAR(100))",
                "INSERT INTO \"Sales\".who VALUES (0, 'seed', 'the Sales table')",
                "INSERT INTO who VALUES (0, 'seed', 'the PUBLIC table')");
    }

    @AfterAll
    static void stop() throws Exception {
        shared.close();
    }

    private static Connection connect(String user) throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        return DriverManager.getConnection(shared.cluster().url(), p);
    }

    private static List<String> row(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getString(i));
            }
            return values;
        }
    }

    @Test
    void readsAnswerWithEachConnectionsUserAndSchema() throws Exception {
        try (Connection alice = connect("alice"); Connection bob = connect("Bob"); Connection nobody = connect(null)) {
            alice.setSchema("Sales");
            assertThat(alice.getSchema()).isEqualTo("Sales");
            assertThat(bob.getSchema()).isEqualTo("PUBLIC");
            String catalog = alice.getCatalog();
            assertThat(catalog).isNotBlank().isEqualTo(bob.getCatalog());
            String sql = "SELECT USER(), CURRENT_USER, SESSION_USER, SCHEMA(), CURRENT_SCHEMA, CURRENT_CATALOG";
            assertThat(row(alice, sql)).containsExactly("ALICE", "ALICE", "ALICE", "Sales", "Sales", catalog);
            assertThat(row(bob, sql)).containsExactly("BOB", "BOB", "BOB", "PUBLIC", "PUBLIC", catalog);
            assertThat(row(nobody, sql)).containsExactly("", "", "", "PUBLIC", "PUBLIC", catalog); // as embedded H2
            assertThat(row(alice, "CALL SCHEMA()")).containsExactly("Sales");
            assertThat(alice.getMetaData().getUserName()).isEqualTo("ALICE");
            for (String call : List.of("call current_schema", "{call current_schema()}")) {
                try (CallableStatement cs = alice.prepareCall(call); ResultSet rs = cs.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as(call).isEqualTo("Sales");
                }
            }
            // unqualified names in reads resolve in the connection's schema
            assertThat(row(alice, "SELECT s FROM who WHERE id = 0")).containsExactly("the Sales table");
            assertThat(row(bob, "SELECT s FROM who WHERE id = 0")).containsExactly("the PUBLIC table");
        }
    }

    @Test
    void writesStoreTheWritingConnectionsValuesOnEveryReplica() throws Exception {
        try (Connection alice = connect("alice"); Connection bob = connect("bob")) {
            alice.setSchema("Sales");
            try (Statement a = alice.createStatement(); Statement b = bob.createStatement()) {
                assertThat(a.executeUpdate("INSERT INTO who VALUES (10, CURRENT_USER, CURRENT_SCHEMA)")).isEqualTo(1);
                assertThat(b.executeUpdate("INSERT INTO who VALUES (10, USER(), SCHEMA())")).isEqualTo(1);
                // the replicas' seeded RAND()/RANDOM_UUID() still apply in another schema (their search path)
                assertThat(a.executeUpdate("INSERT INTO who VALUES (11, CAST(RAND() AS VARCHAR), "
                        + "CAST(RANDOM_UUID() AS VARCHAR))")).isEqualTo(1);
                a.executeUpdate("CREATE TABLE made_here (id INT PRIMARY KEY)");
                a.executeUpdate("INSERT INTO made_here VALUES (1)");
                assertThat(row(alice, "SELECT COUNT(*) FROM made_here")).containsExactly("1");
                // DDL would evaluate the function later in a replica's own session: refused
                assertThatThrownBy(() -> a.executeUpdate("CREATE TABLE bad (u VARCHAR(100) DEFAULT CURRENT_USER)"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("CURRENT_USER");
            }
            Connection admin = shared.connection();
            assertThat(row(admin, "SELECT u, s FROM \"Sales\".who WHERE id = 10")).containsExactly("ALICE", "Sales");
            assertThat(row(admin, "SELECT u, s FROM PUBLIC.who WHERE id = 10")).containsExactly("BOB", "PUBLIC");
            assertThat(row(admin, "SELECT COUNT(*) FROM \"Sales\".made_here")).containsExactly("1");
            assertThat(admin.unwrap(LockstepConnection.class).admin().verify().consistent()).isTrue();
        }
    }

    @Test
    void setSchemaRefusesMissingSchemasAndWritesInReservedOnes() throws Exception {
        try (Connection c = connect("carol")) {
            assertThatThrownBy(() -> c.setSchema("sales")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("90079"));
            assertThat(c.getSchema()).isEqualTo("PUBLIC");
            for (String own : new String[] {"LOCKSTEP_SYS", "lockstep_fn"}) { // LockstepDB's own: not even to read
                assertThatThrownBy(() -> c.setSchema(own)).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42L05"));
                try (Statement s = c.createStatement()) {
                    assertThatThrownBy(() -> s.execute("SET SCHEMA " + own)).isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42L05"));
                }
                assertThat(c.getSchema()).isEqualTo("PUBLIC");
            }
            c.setSchema("INFORMATION_SCHEMA"); // H2's catalog: readable, never written
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeUpdate("CREATE TABLE sneaky (id INT)")).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42L05"));
            }
            c.setSchema("PUBLIC");
            assertThat(row(c, "SELECT CURRENT_SCHEMA")).containsExactly("PUBLIC");
        }
    }

    /** H2's SET SCHEMA statement (Flyway sends it around each migration) is the connection's setSchema. */
    @Test
    void setSchemaStatementIsTheConnectionsSetSchema() throws Exception {
        try (Connection c = connect("dave"); Statement s = c.createStatement()) {
            assertThat(s.execute("SET SCHEMA \"Sales\"")).isFalse();
            assertThat(s.getUpdateCount()).isZero();
            assertThat(c.getSchema()).isEqualTo("Sales");
            assertThat(row(c, "SELECT s FROM who WHERE id = 0")).containsExactly("the Sales table");
            assertThat(s.executeUpdate("SET SCHEMA public;")).isZero();
            assertThat(row(c, "SELECT CURRENT_SCHEMA, s FROM who WHERE id = 0"))
                    .containsExactly("PUBLIC", "the PUBLIC table");
            assertThatThrownBy(() -> s.execute("SET SCHEMA sales")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("90079"));
            assertThat(c.getSchema()).isEqualTo("PUBLIC");
            assertThatThrownBy(() -> s.execute("SET SCHEMA_SEARCH_PATH \"Sales\"")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0AL02"));
        }
    }
}
