package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.scalar;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.StatementLimits;
import org.lockstepdb.protocol.WriteRequest;

/**
 * The store's own last line of defence: statements that got past (or never met) the leader's guard cannot
 * reach LockstepDB's bookkeeping, and cannot stop the apply path.
 */
class SystemStateIsolationTest {
    @TempDir
    Path dir;
    SqlStore store;
    long index;

    @BeforeEach
    void open() throws Exception {
        store = SqlStore.open(dir);
        ok(apply(write("CREATE TABLE t(id INT PRIMARY KEY, v INT)")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Reply apply(WriteRequest entry) {
        return store.apply(1, ++index, entry).orElseThrow();
    }

    private String refusal(String sql) {
        Reply reply = apply(write(sql));
        assertThat(reply).as(sql).isInstanceOf(ErrorReply.class);
        assertThat(store.appliedIndex().index()).as("applied index after %s", sql).isEqualTo(index);
        return ((ErrorReply) reply).sqlState();
    }

    @Test
    void unqualifiedNamesNeverResolveToTheBookkeepingTables() {
        for (String sql : List.of("TRUNCATE TABLE APPLIED", "DELETE FROM APPLIED", "UPDATE APPLIED SET LOG_INDEX = 0",
                "INSERT INTO RESTORE_STAGING VALUES ('x', 1, 1)", "DROP TABLE APPLIED", "TRUNCATE TABLE RESTORE_STAGING")) {
            assertThat(refusal(sql)).as(sql).isEqualTo("42S02"); // table not found: the search path does not hold them
        }
        ok(apply(write("INSERT INTO t VALUES (1, 1)")));
        assertThat(store.appliedIndex().index()).isEqualTo(index);
        assertThat(store.restores().staged()).isEmpty();
    }

    @Test
    void aUserTableNamedLikeABookkeepingTableIsJustAUserTable() throws Exception {
        ok(apply(write("CREATE TABLE APPLIED(ID INT PRIMARY KEY, TERM BIGINT, LOG_INDEX BIGINT)")));
        ok(apply(write("INSERT INTO APPLIED VALUES (1, 99, 99)")));
        ok(apply(write("TRUNCATE TABLE APPLIED")));
        ok(apply(write("INSERT INTO t VALUES (2, 2)")));
        assertThat(store.appliedIndex().index()).isEqualTo(index);
        store.close();
        store = SqlStore.open(dir);
        assertThat(store.appliedIndex().index()).isEqualTo(index);
        assertThat(scalar(store, "SELECT COUNT(*) FROM PUBLIC.APPLIED")).isEqualTo(0L);
    }

    @Test
    void namingTheReservedSchemasIsRefusedInAnyForm() {
        for (String sql : List.of("DELETE FROM LOCKSTEP_SYS.APPLIED", "TRUNCATE TABLE lockstep_sys.applied",
                "UPDATE \"LOCKSTEP_SYS\".\"APPLIED\" SET LOG_INDEX = 0", "DROP SCHEMA LOCKSTEP_SYS CASCADE",
                "CREATE VIEW v AS SELECT * FROM Lockstep_Sys.Restore_Staging", "CREATE SYNONYM s FOR LOCKSTEP_SYS.APPLIED",
                "DROP ALIAS LOCKSTEP_FN.RAND", "CREATE TABLE LOCKSTEP_FN.t2(a INT)")) {
            assertThat(refusal(sql)).as(sql).isEqualTo("42L05");
        }
        ok(apply(write("INSERT INTO t VALUES (4, 4) /* LOCKSTEP_SYS */"))); // a remark is just a remark
        ok(apply(write("INSERT INTO t VALUES (5, LENGTH('LOCKSTEP_SYS.APPLIED'))"))); // a value is just a value
        assertThat(scalar(store, "SELECT v FROM t WHERE id = 5")).isEqualTo(20);
    }

    @Test
    void queriesReadTheAppliedIndexButNoOtherBookkeeping() {
        for (String table : List.of("CLIENT_CALLS", "RESTORE_STAGING", "RAFT_GROUP")) {
            Reply reply = store.query(new org.lockstepdb.protocol.QueryRequest("SELECT * FROM LOCKSTEP_SYS." + table,
                    List.of(), 0));
            assertThat(reply).as(table).isInstanceOf(ErrorReply.class);
            assertThat(((ErrorReply) reply).sqlState()).as(table).isIn("90096", "42S02", "42S04");
        }
        assertThat(scalar(store, "SELECT LOG_INDEX FROM LOCKSTEP_SYS.APPLIED")).isEqualTo(index);
        assertThat(scalar(store, "SELECT COUNT(*) FROM t")).isEqualTo(0L);
    }

    @Test
    void statementsNestedTooDeeplyForH2sRecursionAreRefusedBeforeH2ParsesThem() {
        String deep = "(".repeat(2_000) + "1" + ")".repeat(2_000);
        assertThat(refusal("INSERT INTO t VALUES (7, " + deep + ")")).isEqualTo("54L02");
        assertThat(refusal("INSERT INTO t VALUES (7, 1" + "+1".repeat(20_000) + ")")).isEqualTo("54L02");
        assertThat(refusal("INSERT INTO t VALUES (7, 1) /*" + "(".repeat(100) + "*/ ) ) )")).isEqualTo("42000");
        String nested = "(".repeat(StatementLimits.MAX_NESTING_DEPTH - 1) + "7" + ")".repeat(StatementLimits.MAX_NESTING_DEPTH - 1);
        ok(apply(write("INSERT INTO t VALUES " + nested.substring(0, nested.length() - 1) + ", 1 + 1" + "+1".repeat(500) + ")")));
        assertThat(scalar(store, "SELECT v FROM t WHERE id = 7")).isEqualTo(502);
        ok(apply(write("INSERT INTO t VALUES (8, 8) -- " + "(".repeat(500))));
    }

    @Test
    void nestingWithoutParenthesesCountsAgainstTheLimitsAndRunsOnTheDeepStack() {
        // NOT NOT …, CASE in CASE, casts of casts and ARRAY[ARRAY[…]] nest H2's recursion like parentheses
        assertThat(refusal("INSERT INTO t VALUES (9, CASE WHEN " + "NOT ".repeat(30_000) + "TRUE THEN 1 ELSE 0 END)"))
                .isEqualTo("54L02");
        assertThat(refusal("INSERT INTO t VALUES (9, " + "CASE WHEN TRUE THEN ".repeat(5_000) + "9"
                + " END".repeat(5_000) + ")")).isEqualTo("54L02");
        assertThat(refusal("INSERT INTO t VALUES (9, 9" + "::INT".repeat(20_000) + ")")).isEqualTo("54L02");
        assertThat(refusal("INSERT INTO t VALUES (9, CARDINALITY(" + "ARRAY[".repeat(5_000) + "1"
                + "]".repeat(5_000) + "))")).isEqualTo("54L02");
        // at the limits, in every form at once: deeper than a default thread stack may take, fine on the apply thread
        String nested = "(".repeat(60) + "CASE WHEN " + "NOT ".repeat(998) + "TRUE THEN 10 ELSE 0 END" + ")".repeat(60);
        ok(apply(write("INSERT INTO t VALUES (10, " + nested + "::INT" + ")")));
        assertThat(scalar(store, "SELECT v FROM t WHERE id = 10")).isEqualTo(10);
        assertThat(store.appliedIndex().index()).isEqualTo(index);
    }

    @Test
    void viewsOverViewsAreBoundedBeforeReadingThemCouldOverflowAnyStack() {
        ok(apply(write("CREATE VIEW \"v0\" AS SELECT * FROM t")));
        for (int i = 1; i < ViewDepth.MAX_DEPTH; i++) {
            ok(apply(write("CREATE VIEW \"v" + i + "\" AS SELECT * FROM \"v" + (i - 1) + "\"")));
        }
        String tooDeep = "CREATE VIEW \"v" + ViewDepth.MAX_DEPTH + "\" AS SELECT * FROM \"v" + (ViewDepth.MAX_DEPTH - 1) + "\"";
        assertThat(refusal(tooDeep)).isEqualTo("54L02");
        assertThat(refusal("CREATE OR REPLACE VIEW \"v0\" AS SELECT * FROM \"v" + (ViewDepth.MAX_DEPTH - 1) + "\""))
                .isEqualTo("54L02");
        ok(apply(write("INSERT INTO t SELECT id + 100, v FROM \"v" + (ViewDepth.MAX_DEPTH - 1) + "\"")));
        // re-pointing the bottom of a chain deepens every view above it
        ok(apply(write("CREATE VIEW w0 AS SELECT * FROM t")));
        ok(apply(write("CREATE VIEW w1 AS SELECT * FROM w0")));
        assertThat(refusal("CREATE OR REPLACE VIEW \"v0\" AS SELECT * FROM w1")).isEqualTo("54L02");
    }

    @Test
    void viewsThatWouldReadThemselvesAreRefused() {
        ok(apply(write("CREATE VIEW ca AS SELECT * FROM t")));
        ok(apply(write("CREATE VIEW cb AS SELECT * FROM ca")));
        assertThat(refusal("CREATE OR REPLACE VIEW ca AS SELECT * FROM cb")).isEqualTo("54L02");
        assertThat(refusal("CREATE OR REPLACE VIEW ca AS SELECT t.* FROM t JOIN cb ON t.id = cb.id")).isEqualTo("54L02");
        ok(apply(write("CREATE OR REPLACE VIEW ca AS SELECT id, v FROM t WHERE v > 0")));
        ok(apply(write("INSERT INTO t SELECT id + 500, v FROM cb")));
    }

    @Test
    void statementsThatWouldDropOrDescribeReplicaLocalStateAreRefused() {
        assertThat(refusal("DROP ALL OBJECTS")).isEqualTo("42L01");
        assertThat(refusal("ANALYZE")).isEqualTo("42L01");
        assertThat(refusal("ANALYZE TABLE t")).isEqualTo("42L01");
        assertThat(refusal("ALTER TABLE t ALTER COLUMN v SELECTIVITY 10")).isEqualTo("42L01");
        assertThat(refusal("CREATE FORCE VIEW fv AS SELECT * FROM later")).isEqualTo("42L01");
        assertThat(refusal("CREATE OR REPLACE FORCE VIEW fv AS SELECT * FROM t")).isEqualTo("42L01");
        ok(apply(write("INSERT INTO t VALUES (6, 6)")));
        assertThat(scalar(store, "SELECT COUNT(*) FROM t")).isEqualTo(1L);
    }
}
