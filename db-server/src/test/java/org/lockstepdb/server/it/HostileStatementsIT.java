package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;

/**
 * Hardening: no client statement stops the apply path or reaches replica-local state.
 *
 * <p>No client statement can reach LockstepDB's own state (the applied index, the restore staging area,
 * the deterministic function aliases), by any name: unqualified (the search path), qualified, quoted, in other
 * letter cases, through a view, synonym or index, or by shadowing a system table with a user table of the same
 * name. Every attempt is refused with an SQL error or is harmless; afterwards the cluster serves, takes
 * snapshots, restarts, and its replicas verify equal.
 */
class HostileStatementsIT {
    @TempDir
    static Path dir;
    static TestCluster cluster;
    static Connection connection;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(dir, 3);
        connection = DriverManager.getConnection(cluster.url());
        execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)");
        execute("INSERT INTO t VALUES (1, 1)");
    }

    @AfterAll
    static void stop() throws SQLException {
        connection.close();
        cluster.close();
    }

    /** Every way to name a system table: the search path, qualified, quoted, other letter cases. */
    static List<String> namesOf(String table) {
        return List.of(table, "LOCKSTEP_SYS." + table, "\"LOCKSTEP_SYS\".\"" + table + "\"",
                "lockstep_sys." + table.toLowerCase(), "Lockstep_Sys.\"" + table + "\"", "LOCKSTEP_FN." + table);
    }

    static List<String> attemptsOn(String name, int k) {
        return List.of(
                "TRUNCATE TABLE " + name,
                "DELETE FROM " + name,
                "UPDATE " + name + " SET LOG_INDEX = 0",
                "UPDATE " + name + " SET STAGED_BYTES = 0",
                "INSERT INTO " + name + " VALUES (2, 0, 0)",
                "INSERT INTO " + name + " VALUES ('r" + k + "', 10, 10)",
                "INSERT INTO " + name + " SELECT * FROM " + name,
                "MERGE INTO " + name + " KEY(ID) VALUES (1, 0, 0)",
                "ALTER TABLE " + name + " ADD COLUMN extra" + k + " INT",
                "ALTER TABLE " + name + " RENAME TO renamed" + k,
                "CREATE INDEX ix" + k + " ON " + name + "(ID)",
                "CREATE VIEW v" + k + " AS SELECT * FROM " + name,
                "CREATE SYNONYM syn" + k + " FOR " + name,
                "COMMENT ON TABLE " + name + " IS 'x'",
                "DROP TABLE " + name,
                "DROP TABLE " + name + " CASCADE");
    }

    static final List<String> SCHEMA_ATTEMPTS = List.of(
            "DROP SCHEMA LOCKSTEP_SYS CASCADE", "DROP SCHEMA LOCKSTEP_FN CASCADE", "ALTER SCHEMA LOCKSTEP_SYS RENAME TO gone",
            "CREATE SCHEMA LOCKSTEP_SYS", "CREATE TABLE LOCKSTEP_FN.shadow (a INT)", "DROP ALIAS LOCKSTEP_FN.RAND",
            "DROP ALIAS RAND", "CREATE ALIAS APPLIED FOR 'java.lang.Math.abs'", "DROP ALL OBJECTS",
            "SET SCHEMA LOCKSTEP_SYS", "SET SCHEMA_SEARCH_PATH LOCKSTEP_SYS", "SET BUILTIN_ALIAS_OVERRIDE FALSE",
            "INSERT INTO t SELECT 100, COUNT(*) FROM INFORMATION_SCHEMA.TABLES", "GRANT ALL ON SCHEMA LOCKSTEP_SYS TO PUBLIC",
            "CREATE VIEW sneaky AS SELECT * FROM LOCKSTEP_SYS.APPLIED",
            "UPDATE t SET v = (SELECT LOG_INDEX FROM LOCKSTEP_SYS.APPLIED) WHERE id = 1",
            "ANALYZE", "ALTER TABLE t ALTER COLUMN v SELECTIVITY 1", "CREATE FORCE VIEW fv AS SELECT * FROM later");

    @Test
    void everyAttemptIsRefusedOrHarmlessAndTheClusterStaysWhole() throws Exception {
        Map<String, String> outcomes = new LinkedHashMap<>();
        int k = 0;
        List<String> corpus = new ArrayList<>(SCHEMA_ATTEMPTS);
        for (String table : List.of("APPLIED", "RESTORE_STAGING", "RAND")) {
            for (String name : namesOf(table)) {
                corpus.addAll(attemptsOn(name, k++));
            }
        }
        // then shadow the system tables with user tables of the same names, and try everything again
        corpus.add("CREATE TABLE APPLIED (ID INT PRIMARY KEY, TERM BIGINT, LOG_INDEX BIGINT)");
        corpus.add("CREATE TABLE PUBLIC.RESTORE_STAGING (RESTORE_ID VARCHAR(64) PRIMARY KEY, STAGED_BYTES BIGINT, "
                + "LOG_INDEX BIGINT)");
        for (String table : List.of("APPLIED", "RESTORE_STAGING")) {
            for (String name : namesOf(table)) {
                corpus.addAll(attemptsOn(name, k++));
            }
        }
        for (String sql : corpus) {
            outcomes.put(sql, attempt(sql));
        }

        assertThat(outcomes).as("a replica failure or lost connection is never an answer to client input")
                .allSatisfy((sql, outcome) -> assertThat(outcome).as(sql).doesNotStartWith("08").doesNotStartWith("XX"));
        assertThat(outcomes.entrySet().stream().filter(e -> e.getKey().contains("LOCKSTEP_") || e.getKey().contains("ockstep_"))
                .filter(e -> e.getValue().equals("ok")).map(Map.Entry::getKey).toList())
                .as("nothing that names LockstepDB's schemas runs").isEmpty();

        // the cluster serves, its bookkeeping is intact, snapshots work, a restart replays, and verify agrees
        execute("INSERT INTO t VALUES (2, 2)");
        assertThat(scalar("SELECT COUNT(*) FROM t WHERE id IN (1, 2)")).isEqualTo(2);
        LockstepAdmin admin = connection.unwrap(LockstepConnection.class).admin();
        assertThat(admin.snapshot(null)).as("a snapshot can be taken (no fake staged restore blocks it)").isPositive();
        cluster.stopNode("n3");
        execute("INSERT INTO t VALUES (3, 3)");
        cluster.startNode("n3");
        execute("INSERT INTO t VALUES (4, 4)");
        LockstepAdmin.VerifyReport report = admin.verify();
        assertThat(report.replicas()).hasSize(3).allMatch(LockstepAdmin.ReplicaChecksum::answered);
        assertThat(report.consistent()).as("%s", report).isTrue();
        Replicas.assertConverged(cluster.runningNodes());
    }

    @Test
    void statementsThatWouldOverflowH2sStackAreRefusedAndTheClusterServes() throws Exception {
        for (String sql : List.of("INSERT INTO t VALUES (50, " + "(".repeat(5_000) + "1" + ")".repeat(5_000) + ")",
                "INSERT INTO t VALUES (51, 1" + "+1".repeat(30_000) + ")",
                "UPDATE t SET v = 0 WHERE " + "v = 1 OR ".repeat(3_000) + "v = 2")) {
            assertThat(attempt(sql)).as(sql.substring(0, 40)).isEqualTo("54L02");
        }
        assertThat(attempt("SELECT " + "(".repeat(5_000) + "1" + ")".repeat(5_000))).isEqualTo("54L02");
        // nesting without parentheses or operators: refused, or run on the apply thread's deep stack
        for (String sql : List.of("INSERT INTO t VALUES (53, CASE WHEN " + "NOT ".repeat(30_000) + "TRUE THEN 1 ELSE 0 END)",
                "INSERT INTO t VALUES (54, " + "CASE WHEN TRUE THEN ".repeat(5_000) + "1" + " END".repeat(5_000) + ")",
                "SELECT " + "NOT ".repeat(30_000) + "TRUE", "SELECT 1" + "::INT".repeat(20_000))) {
            assertThat(attempt(sql)).as(sql.substring(0, 40)).isIn("ok", "54L02");
        }
        execute("CREATE VIEW chain0 AS SELECT * FROM t");
        for (int i = 1; i < 40; i++) {
            String outcome = attempt("CREATE VIEW chain" + i + " AS SELECT * FROM chain" + (i - 1));
            assertThat(outcome).as("view %d", i).isEqualTo(i < 32 ? "ok" : "54L02");
            if (!outcome.equals("ok")) {
                break;
            }
        }
        execute("INSERT INTO t SELECT id + 1000, v FROM chain31 WHERE id = 1");
        execute("INSERT INTO t VALUES (52, 1" + "+1".repeat(900) + ")");
        assertThat(scalar("SELECT v FROM t WHERE id = 52")).isEqualTo(901);
        LockstepAdmin.VerifyReport report = connection.unwrap(LockstepConnection.class).admin().verify();
        assertThat(report.consistent()).as("%s", report).isTrue();
    }

    /** "ok" if the statement ran, else its SQLState. */
    private static String attempt(String sql) {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
            return "ok";
        } catch (SQLException e) {
            return e.getSQLState() == null ? "null" : e.getSQLState();
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private static int scalar(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
