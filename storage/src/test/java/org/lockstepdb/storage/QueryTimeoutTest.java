package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.scalar;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.Reply;

/** A query past its time limit is cancelled inside H2 (57014) and its session is free again. */
class QueryTimeoutTest {
    /** Minutes of CPU on any machine: only a cancel ends it in time. */
    static final String ENDLESS = "SELECT SUM(X) FROM SYSTEM_RANGE(1, 100000000000)";

    @TempDir
    Path dir;
    SqlStore store;

    @BeforeEach
    void open() throws Exception {
        store = SqlStore.open(dir, StoreOptions.defaults().withQueryConnections(1).withQueryTimeoutMillis(700));
        ok(store.apply(1, 1, write("CREATE TABLE t(id INT PRIMARY KEY)")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theServerDefaultCancelsARunawayQuery() throws Exception {
        Reply r = CompletableFuture.supplyAsync(() -> store.query(new QueryRequest(ENDLESS, List.of(), 0)))
                .get(60, TimeUnit.SECONDS);
        assertThat(r).isInstanceOfSatisfying(ErrorReply.class, e -> {
            assertThat(e.sqlState()).isEqualTo("57014");
            assertThat(e.message()).contains("700 ms");
        });
        assertNoStatementRunning();
        // The only query session is free again at once: a new query is answered.
        assertThat(scalar(store, "SELECT COUNT(*) FROM t")).isEqualTo(0L);
    }

    @Test
    void aShorterClientTimeoutWinsAndALongerOneDoesNot() throws Exception {
        Reply shorter = CompletableFuture.supplyAsync(() -> store.query(new QueryRequest(ENDLESS, List.of(), 0, 200)))
                .get(60, TimeUnit.SECONDS);
        assertThat(shorter).isInstanceOfSatisfying(ErrorReply.class, e -> {
            assertThat(e.sqlState()).isEqualTo("57014");
            assertThat(e.message()).contains("200 ms");
        });
        Reply longer = CompletableFuture.supplyAsync(() -> store.query(new QueryRequest(ENDLESS, List.of(), 0, 600_000)))
                .get(60, TimeUnit.SECONDS);
        assertThat(longer).isInstanceOfSatisfying(ErrorReply.class, e -> assertThat(e.message()).contains("700 ms"));
        assertNoStatementRunning();
    }

    @Test
    void aClientCancelStopsItsRunningQueryAndAnEarlyCancelRefusesItsStart() throws Exception {
        store.close();
        store = SqlStore.open(dir, StoreOptions.defaults().withQueryConnections(1).withQueryTimeoutMillis(60_000));
        CompletableFuture<Reply> r = CompletableFuture.supplyAsync(
                () -> store.query(new QueryRequest(ENDLESS, List.of(), 0).withQueryId("q-1")));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> store.cancelQuery("q-1"));
        assertThat(r.get(20, TimeUnit.SECONDS)).isInstanceOfSatisfying(ErrorReply.class, e -> {
            assertThat(e.sqlState()).isEqualTo("57014");
            assertThat(e.message()).contains("cancelled by its client");
        });
        assertNoStatementRunning();

        assertThat(store.cancelQuery("q-2")).as("not running yet").isFalse();
        assertThat(store.query(new QueryRequest(ENDLESS, List.of(), 0).withQueryId("q-2")))
                .isInstanceOfSatisfying(ErrorReply.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
        assertThat(scalar(store, "SELECT COUNT(*) FROM t")).isEqualTo(0L);
    }

    @Test
    void effectiveTimeoutIsTheShorterOfBothWhereZeroMeansNone() {
        StoreOptions thirty = StoreOptions.defaults().withQueryTimeoutMillis(30_000);
        assertThat(thirty.effectiveQueryTimeoutMillis(0)).isEqualTo(30_000);
        assertThat(thirty.effectiveQueryTimeoutMillis(5_000)).isEqualTo(5_000);
        assertThat(thirty.effectiveQueryTimeoutMillis(90_000)).isEqualTo(30_000);
        StoreOptions none = StoreOptions.defaults().withQueryTimeoutMillis(0);
        assertThat(none.effectiveQueryTimeoutMillis(0)).isZero();
        assertThat(none.effectiveQueryTimeoutMillis(5_000)).isEqualTo(5_000);
    }

    /** H2's own view, as the database owner: no session is still executing the cancelled statement. */
    private void assertNoStatementRunning() throws Exception {
        try (Connection owner = new H2Sessions(new StoreDirectory(dir)).openSnapshotOwnerSession();
             Statement s = owner.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS "
                     + "WHERE EXECUTING_STATEMENT LIKE '%SYSTEM_RANGE%' AND SESSION_ID <> SESSION_ID()")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }
}
