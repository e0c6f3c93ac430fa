package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.TxOp;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.WriteRequest;

/** Speculation's limits and failures: none of them records an operation or leaves a trace. */
class SpeculationLimitsTest {
    /** Runs far longer than any budget here: H2 cancels it. */
    private static final String ENDLESS = "SELECT SUM(X) FROM SYSTEM_RANGE(1, 1000000000)";
    /** A statement of some 50 ms. */
    private static final String SLOW = "SELECT SUM(X) FROM SYSTEM_RANGE(1, 200000)";

    @TempDir
    Path dir;

    @Test
    void aResultOverTheLimitIsRefusedAndNotRecorded() throws Exception {
        try (SqlStore store = SqlStore.open(dir, StoreOptions.defaults().withMaxResultBytes(10_000))) {
            ok(store.apply(1, 1, write("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(100))")));
            ok(store.apply(1, 2, write("INSERT INTO t SELECT X, REPEAT('x', 100) FROM SYSTEM_RANGE(1, 500)")));
            TxClient tx = new TxClient(store);
            ErrorReply tooLarge = tx.error("SELECT * FROM t");
            assertThat(tooLarge.sqlState()).isEqualTo("54000");
            assertThat(tx.steps).isEmpty();
            assertThat(tx.scalar("SELECT COUNT(*) FROM t")).isEqualTo(500L);
        }
    }

    @Test
    void aStatementOverItsTimeLimitIsCancelledAndNotRecorded() throws Exception {
        // a client limit shorter than the replay budget (2 s by default) stays the query limit: 57014
        try (SqlStore store = SqlStore.open(dir)) {
            TxClient tx = new TxClient(store);
            Reply r = store.speculate(new TxStatementRequest(tx.id, 0, List.of(), TxOp.statement(SqlStatement.of(
                    "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 100000) a, SYSTEM_RANGE(1, 100000) b")), 200));
            assertThat(r).isInstanceOf(ErrorReply.class);
            assertThat(((ErrorReply) r).sqlState()).isEqualTo("57014");
            assertThat(tx.scalar("SELECT 1")).isEqualTo(1); // the session is usable again, with the default limit
        }
    }

    /** The replay budget: a run over it answers 54000, records nothing, and the transaction goes on. */
    @Test
    void aStatementOverTheBudgetIsRefusedNotRecordedAndTheTransactionGoesOn() throws Exception {
        try (SqlStore store = SqlStore.open(dir, StoreOptions.defaults().withTxReplayBudgetMillis(300))) {
            ok(store.apply(1, 1, write("CREATE TABLE t(id INT PRIMARY KEY)")));
            TxClient tx = new TxClient(store);
            tx.write("INSERT INTO t VALUES (1)");
            long started = System.nanoTime();
            ErrorReply refused = tx.error(ENDLESS);
            assertThat(System.nanoTime() - started).isLessThan(30_000_000_000L); // cancelled, not the 30 s limit
            assertThat(refused.sqlState()).isEqualTo("54000");
            assertThat(refused.message()).contains("over the budget of 300 ms", "--tx-replay-budget-ms",
                    "not part of the transaction");
            assertThat(tx.steps).hasSize(1);
            tx.write("INSERT INTO t VALUES (2)");
            assertThat(tx.scalar("SELECT COUNT(*) FROM t")).isEqualTo(2L);
        }
    }

    /**
     * Five slow statements accepted without a budget; with a budget of twice the shortest time one of them took
     * alone, the next operation (however cheap) is refused: the script alone re-runs too long.
     */
    @Test
    void aScriptWhoseReplayExceedsTheBudgetRefusesTheNextOperation() throws Exception {
        TxClient recorded;
        long oneMillis = Long.MAX_VALUE;
        try (SqlStore store = SqlStore.open(dir, StoreOptions.defaults().withTxReplayBudgetMillis(0))) {
            ok(store.apply(1, 1, write("CREATE TABLE t(id INT PRIMARY KEY)")));
            recorded = new TxClient(store);
            for (int i = 0; i < 5; i++) {
                recorded.query(SLOW);
            }
            for (int i = 0; i < 3; i++) { // measured warm (the JIT compiled H2's loop while recording)
                long started = System.nanoTime();
                new TxClient(store).query(SLOW);
                oneMillis = Math.min(oneMillis, (System.nanoTime() - started) / 1_000_000);
            }
        }
        long budget = Math.max(1, 2 * oneMillis);
        try (SqlStore store = SqlStore.open(dir, StoreOptions.defaults().withTxReplayBudgetMillis(budget))) {
            TxClient tx = new TxClient(store, recorded.id);
            tx.stampMillis = recorded.stampMillis;
            tx.steps.addAll(recorded.steps);
            ErrorReply refused = tx.error("SELECT 1");
            assertThat(refused.sqlState()).isEqualTo("54000");
            assertThat(refused.message()).contains("over the budget of " + budget + " ms");
            assertThat(tx.steps).hasSize(5);
            tx.steps.clear(); // the session is usable again: nothing of the refusal stayed behind
            assertThat(tx.scalar("SELECT 1")).isEqualTo(1);
        }
    }
    @Test
    void aClosedStoreAnswersInsteadOfSpeculating() throws Exception {
        SqlStore store = SqlStore.open(dir);
        TxClient tx = new TxClient(store);
        store.close();
        ErrorReply closed = tx.error("SELECT 1");
        assertThat(closed.sqlState()).isEqualTo("08003");
    }

    /** Speculations from several threads while another thread applies entries: serialized by the apply lock. */
    @Test
    void concurrentSpeculationsAndAppliesLeaveTheSameStateAsAppliesAlone() throws Exception {
        try (SqlStore spec = SqlStore.open(dir.resolve("spec")); SqlStore never = SqlStore.open(dir.resolve("never"))) {
            List<WriteRequest> entries = new java.util.ArrayList<>();
            entries.add(write("CREATE TABLE t(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, v INT)"));
            entries.add(write("CREATE TABLE n(v INT)"));
            for (int i = 0; i < 300; i++) {
                entries.add(write("INSERT INTO t(v) VALUES (" + i + ")", "INSERT INTO n VALUES (" + i + ")"));
            }
            AtomicBoolean applying = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<?> applier = pool.submit(() -> {
                    for (int i = 0; i < entries.size(); i++) {
                        ok(spec.apply(1, i + 1, entries.get(i)));
                    }
                    applying.set(false);
                });
                List<Future<Integer>> speculators = new java.util.ArrayList<>();
                for (int s = 0; s < 2; s++) {
                    speculators.add(pool.submit(() -> {
                        int runs = 0;
                        while (applying.get() || runs < 50) {
                            TxClient tx = new TxClient(spec);
                            tx.run("INSERT INTO t(v) SELECT X FROM SYSTEM_RANGE(1, 40)");
                            tx.run("INSERT INTO n VALUES (-1)");
                            tx.run("SELECT COUNT(*) FROM t");
                            runs++;
                        }
                        return runs;
                    }));
                }
                applier.get(120, TimeUnit.SECONDS);
                for (Future<Integer> f : speculators) {
                    assertThat(f.get(120, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(50);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int i = 0; i < entries.size(); i++) {
                ok(never.apply(1, i + 1, entries.get(i)));
            }
            assertThat(spec.checksums().checksum()).isEqualTo(never.checksums().checksum());
            WriteRequest next = write("INSERT INTO n VALUES (1000)");
            ok(spec.apply(1, entries.size() + 1, next));
            ok(never.apply(1, entries.size() + 1, next));
            assertThat(Entries.query(spec, "SELECT _ROWID_ FROM n WHERE v = 1000").data().rows())
                    .isEqualTo(Entries.query(never, "SELECT _ROWID_ FROM n WHERE v = 1000").data().rows());
        }
    }
}
