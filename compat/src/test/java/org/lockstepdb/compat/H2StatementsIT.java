package org.lockstepdb.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lockstepdb.server.it.SharedCluster;

/**
 * Statements the tools send that embedded H2 and LockstepDB might answer differently, run on both: {@code DATETIME}
 * as a type name (H2's regular mode, the replicas' mode, refuses it as LockstepDB does), and temporary tables, which
 * LockstepDB refuses by design (42L01) and Hibernate's bulk HQL is configured around (docs/ECOSYSTEM.md).
 */
@ExtendWith(SharedCluster.class)
class H2StatementsIT {
    @Test
    void datetimeIsRefusedAsByH2() throws SQLException {
        for (String ddl : new String[] {"CREATE TABLE dt_a (d DATETIME)", "CREATE TABLE dt_b (d DATETIME(3))",
                "CREATE TABLE dt_c (d SMALLDATETIME)"}) {
            assertThat(outcome(SharedCluster.url(), ddl)).as(ddl).isEqualTo(outcome("jdbc:h2:mem:compat", ddl))
                    .isEqualTo("HY004"); // H2 error 50004, unknown data type
        }
        assertThat(outcome(SharedCluster.url(), "CREATE TABLE dt_d (d TIMESTAMP(3))")).isEqualTo("ok");
    }

    @Test
    void temporaryTablesAreRefusedAndChangeNothing() throws SQLException {
        for (String ddl : new String[] {"CREATE LOCAL TEMPORARY TABLE tt_local (id INT)",
                "CREATE GLOBAL TEMPORARY TABLE tt_global (id INT) TRANSACTIONAL",
                "CREATE CACHED LOCAL TEMPORARY TABLE IF NOT EXISTS HT_tt (id BIGINT) ON COMMIT DROP TRANSACTIONAL"}) {
            assertThat(outcome("jdbc:h2:mem:compat", ddl)).as("embedded H2: " + ddl).isEqualTo("ok");
            assertThat(outcome(SharedCluster.url(), ddl)).as(ddl).isEqualTo("42L01");
            assertThat(message(ddl)).contains("InlineMutationStrategy");
        }
        try (Connection c = SharedCluster.connect(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'TT\\_%' "
                        + "ESCAPE '\\' OR TABLE_NAME = 'HT_TT'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    /** "ok", or the SQLState the statement failed with. */
    private static String outcome(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(sql);
            return "ok";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static String message(String sql) throws SQLException {
        try (Connection c = SharedCluster.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    @AfterAll
    static void replicasEqual() throws SQLException {
        SharedCluster.assertReplicasEqual();
    }
}
