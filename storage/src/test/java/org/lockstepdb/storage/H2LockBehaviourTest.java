package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.api.ErrorCode;
import org.junit.jupiter.api.Test;

/**
 * Pins the H2 (2.5.252) lock behaviour that {@link H2Sessions#DDL_LOCK_TIMEOUT_MILLIS} and
 * {@link H2Sessions#DML_LOCK_TIMEOUT_MILLIS} rest on: readers in SNAPSHOT transactions hold no lock that delays
 * the writer's DML or DDL, and a MERGE whose source yields one key twice waits for a row lock its own statement
 * holds, until the lock timeout.
 */
class H2LockBehaviourTest {
    private static final int SHORT_LOCK_TIMEOUT_MILLIS = 200;

    private static Connection writer(String db) throws SQLException {
        return MemoryDatabases.session(db + ";DB_CLOSE_DELAY=-1", "SET LOCK_TIMEOUT " + SHORT_LOCK_TIMEOUT_MILLIS);
    }

    private static Connection snapshotReader(String db) throws SQLException {
        return MemoryDatabases.session(db, "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
    }

    @Test
    void anOpenReaderTransactionAndResultDelayNeitherDmlNorDdl() throws Exception {
        try (Connection w = writer("readers"); Connection r = snapshotReader("readers");
             Statement ws = w.createStatement(); Statement rs = r.createStatement()) {
            ws.execute("CREATE TABLE t(id INT PRIMARY KEY, a INT)");
            ws.execute("INSERT INTO t SELECT X, X FROM SYSTEM_RANGE(1, 100)");
            w.commit();
            try (ResultSet open = rs.executeQuery("SELECT * FROM t")) { // snapshot fixed, result still open
                assertThat(open.next()).isTrue();
                ws.executeUpdate("UPDATE t SET a = a + 1");
                ws.executeUpdate("INSERT INTO t VALUES (1000, 0)");
                w.commit();
                ws.execute("ALTER TABLE t ADD COLUMN b INT");
                ws.execute("CREATE INDEX t_a ON t(a)");
                w.commit();
                ws.execute("DROP TABLE t");
                w.commit();
            }
            r.rollback();
        }
    }

    @Test
    void aMergeWhoseSourceYieldsOneKeyTwiceWaitsForItsOwnRowLock() throws Exception {
        try (Connection w = writer("selfmerge"); Statement ws = w.createStatement()) {
            ws.execute("CREATE TABLE t(id INT PRIMARY KEY, a INT, b INT)");
            ws.execute("INSERT INTO t VALUES (1, 1, 1), (2, 8, 1)");
            w.commit();
            long started = System.nanoTime();
            SQLException e = catchThrowableOfType(SQLException.class, () -> ws.executeUpdate(
                    "MERGE INTO t (id, a, b) KEY (id) SELECT MOD(a, 7) + 100, a, b FROM t WHERE b = 1"));
            assertThat(e.getErrorCode()).isEqualTo(ErrorCode.LOCK_TIMEOUT_1);
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(SHORT_LOCK_TIMEOUT_MILLIS - 50);
            w.rollback();
        }
    }
}
