package org.lockstepdb.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.WriteResult;

/** Reads run on the executor's own threads; a full queue refuses at once instead of growing. */
class QueryExecutorTest {
    @Test
    void aFullQueueRefusesWith53400AndLaterReadsRunAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (QueryExecutor executor = new QueryExecutor("test-query", 1, 1)) {
            CompletableFuture<String> thread = new CompletableFuture<>();
            CompletableFuture<Reply> running = executor.submit(() -> {
                thread.complete(Thread.currentThread().getName());
                await(release);
                return new WriteResult(1, java.util.List.of());
            });
            assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("test-query-");
            CompletableFuture<Reply> queued = executor.submit(() -> new WriteResult(2, java.util.List.of()));
            Reply refused = executor.submit(() -> new WriteResult(3, java.util.List.of())).get(1, TimeUnit.SECONDS);
            assertThat(refused).isInstanceOfSatisfying(ErrorReply.class, e -> {
                assertThat(e.sqlState()).isEqualTo("53400");
                assertThat(e.message()).contains("--query-threads");
            });
            assertThat(executor.pending()).isEqualTo(2);

            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS)).isInstanceOf(WriteResult.class);
            assertThat(queued.get(10, TimeUnit.SECONDS)).isInstanceOf(WriteResult.class);
            assertThat(executor.submit(() -> new WriteResult(4, java.util.List.of())).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(WriteResult.class);
        }
    }

    @Test
    void afterCloseReadsAreRefusedAsShuttingDown() throws Exception {
        QueryExecutor executor = new QueryExecutor("test-query", 1, 1);
        executor.close();
        assertThat(executor.submit(() -> new WriteResult(1, java.util.List.of())).get(1, TimeUnit.SECONDS))
                .isInstanceOfSatisfying(ErrorReply.class, e -> assertThat(e.sqlState()).isEqualTo("08003"));
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
