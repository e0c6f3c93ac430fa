package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.intValue;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.query;
import static org.lockstepdb.storage.Entries.scalar;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;

class SqlStoreQueryTest {
    @TempDir
    Path dir;
    SqlStore store;

    @BeforeEach
    void open() throws Exception {
        store = SqlStore.open(dir, StoreOptions.defaults().withMaxResultBytes(64 * 1024).withQueryConnections(2)
                .withQueryWaitMillis(200));
        ok(store.apply(1, 1, write("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(100))")));
        ok(store.apply(1, 2, write("CREATE SEQUENCE s")));
        ok(store.apply(1, 3, write("INSERT INTO t SELECT X, 'row ' || X FROM SYSTEM_RANGE(1, 100)")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Reply run(String sql) {
        return store.query(new QueryRequest(sql, List.of(), 0));
    }

    @Test
    void queryReturnsRowsParametersAndTheAppliedIndex() {
        QueryResult r = query(store, "SELECT v FROM t WHERE id = ?", intValue(7));
        assertThat(r.appliedIndex()).isEqualTo(3);
        assertThat(r.data().rows()).singleElement().satisfies(row -> assertThat(row.get(0).value()).isEqualTo("row 7"));
        assertThat(r.data().columns().get(0).label()).isEqualTo("V");
    }

    @Test
    void maxRowsIsHonoured() {
        Reply r = store.query(new QueryRequest("SELECT * FROM t ORDER BY id", List.of(), 5));
        assertThat(((QueryResult) r).data().rows()).hasSize(5);
    }

    @Test
    void writesAndSideEffectsAreRefusedAndChangeNothing() {
        for (String sql : List.of("INSERT INTO t VALUES (1000, 'x')", "UPDATE t SET v = 'changed'", "DELETE FROM t",
                "CREATE TABLE u(id INT)", "DROP TABLE t", "SELECT NEXT VALUE FOR s", "SET TIME ZONE 'Europe/Paris'",
                "SELECT SET(@x, 1)")) {
            assertThat(run(sql)).as(sql).isInstanceOfSatisfying(ErrorReply.class,
                    e -> assertThat(e.sqlState()).isEqualTo("25006"));
        }
        // the reader has SELECT rights only: an INSERT hidden in a query, or host file access, fails in H2
        assertThat(run("SELECT * FROM FINAL TABLE (INSERT INTO t VALUES (1001, 'x'))"))
                .isInstanceOfSatisfying(ErrorReply.class, e -> assertThat(e.vendorCode()).isEqualTo(90096));
        assertThat(run("SELECT FILE_READ('/etc/hostname')")).isInstanceOf(ErrorReply.class);
        assertThat(scalar(store, "SELECT COUNT(*) FROM t")).isEqualTo(100L);
        assertThat(scalar(store, "SELECT COUNT(*) FROM t WHERE v = 'changed'")).isEqualTo(0L);
        assertThat(scalar(store, "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'S'"))
                .isEqualTo(1L);
        assertThat(store.appliedIndex().index()).isEqualTo(3);
    }

    @Test
    void selectForUpdateIsRefusedAndLeavesNoLockBehind() {
        for (String sql : List.of("SELECT * FROM t WHERE id = 1 FOR UPDATE", "select v from t for update nowait",
                "SELECT v FROM t WHERE id = 2 /* c */ FOR\n  UPDATE SKIP LOCKED",
                "SELECT * FROM (SELECT * FROM t) x WHERE id = 3 FOR UPDATE")) {
            assertThat(run(sql)).as(sql).isInstanceOfSatisfying(ErrorReply.class, e -> {
                assertThat(e.sqlState()).isEqualTo("25006");
                assertThat(e.message()).contains("FOR UPDATE").contains("one UPDATE");
            });
        }
        // the words in a literal, a comment or a quoted name are not the clause
        assertThat(query(store, "SELECT 'for update' AS \"FOR UPDATE\" FROM t WHERE id = 1 -- for update")
                .data().rows()).hasSize(1);
        // had a query session kept a row lock, this entry would time out (HYT00) on this replica only
        ok(store.apply(1, 4, write("UPDATE t SET v = 'after' WHERE id = 1")));
        assertThat(query(store, "SELECT v FROM t WHERE id = 1").data().rows().get(0).get(0).value()).isEqualTo("after");
    }

    @Test
    void resultsLargerThanTheLimitAreRefusedWithAHint() {
        ok(store.apply(1, 4, write("INSERT INTO t SELECT X, REPEAT('x', 100) FROM SYSTEM_RANGE(101, 2000)")));
        assertThat(run("SELECT * FROM t")).isInstanceOfSatisfying(ErrorReply.class, e -> {
            assertThat(e.sqlState()).isEqualTo("54000");
            assertThat(e.message()).contains("LIMIT").contains("keyset pagination");
        });
        assertThat(run("SELECT * FROM t WHERE id <= 100")).isInstanceOf(QueryResult.class);
        ok(store.apply(1, 5, write("CREATE TABLE big(c CLOB)")));
        ok(store.apply(1, 6, write("INSERT INTO big VALUES (REPEAT('y', 200000))")));
        assertThat(run("SELECT c FROM big")).isInstanceOfSatisfying(ErrorReply.class,
                e -> assertThat(e.sqlState()).isEqualTo("54000"));
    }

    @Test
    void sqlErrorsBecomeErrorReplies() {
        assertThat(run("SELECT * FROM missing")).isInstanceOfSatisfying(ErrorReply.class,
                e -> assertThat(e.sqlState()).isEqualTo("42S02"));
        assertThat(run("SELEC 1")).isInstanceOf(ErrorReply.class);
        assertThat(query(store, "SELECT 1").data().rows()).hasSize(1); // sessions stay usable
    }

    @Test
    void aFullPoolMakesQueriesWaitThenGiveUp() throws Exception {
        QueryPool pool = new QueryPool(new H2Sessions(new StoreDirectory(dir)), 2);
        try (QueryPool.Lease a = pool.borrow(100).orElseThrow(); QueryPool.Lease b = pool.borrow(100).orElseThrow()) {
            long start = System.nanoTime();
            assertThat(pool.borrow(150)).isEmpty();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(140));
        }
        try (QueryPool.Lease again = pool.borrow(100).orElseThrow()) { // leases came back
        } finally {
            pool.close();
        }
    }
}
