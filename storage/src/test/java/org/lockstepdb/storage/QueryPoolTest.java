package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing the query pool (as a restore swap does) waits, bounded, for borrowed sessions and opens none after. */
class QueryPoolTest {
    @TempDir
    Path dir;
    private SqlStore store; // keeps the database open (and created) while the pools under test use it
    private H2Sessions sessions;

    @BeforeEach
    void open() throws Exception {
        store = SqlStore.open(dir);
        sessions = new H2Sessions(new StoreDirectory(dir));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void closeWaitsForABorrowedSessionThenClosesIt() throws Exception {
        QueryPool pool = new QueryPool(sessions, 2, 30_000);
        QueryPool.Lease lease = pool.borrow(1000).orElseThrow();
        Connection borrowed = lease.connection();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        Awaitility.await("close keeps waiting while a query holds a session").during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5)).until(() -> !closing.isDone());
        assertThat(borrowed.isClosed()).isFalse();
        assertThat(pool.borrow(0)).as("no new borrower once closing began").isEmpty();
        lease.close(); // the query ends
        closing.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(borrowed.isClosed()).isTrue();
        assertThat(pool.borrow(100)).as("a closed pool opens no session on the old files").isEmpty();
    }

    @Test
    void closeGivesUpWaitingAfterItsBoundAndClosesSessionsStillBorrowed() throws Exception {
        QueryPool pool = new QueryPool(sessions, 1, 300);
        QueryPool.Lease lease = pool.borrow(1000).orElseThrow();
        long started = System.nanoTime();
        pool.close();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(tookMillis).isBetween(250L, 5_000L);
        assertThat(lease.connection().isClosed()).isTrue();
        lease.close(); // returning it late is harmless
        assertThat(pool.borrow(100)).isEmpty();
    }
}
