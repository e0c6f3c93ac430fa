package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.TxOp;
import org.lockstepdb.protocol.TxStatementRequest;

/**
 * The transaction replay budget: a speculative run (script replayed plus the new operation) longer than it is
 * refused with 54000, the operation is not recorded and the transaction goes on.
 */
class SpeculationBudgetTest {
    /** Runs far longer than any budget here: H2 cancels it. */
    private static final String ENDLESS = "SELECT SUM(X) FROM SYSTEM_RANGE(1, 1000000000)";
    /** A statement of some 50 ms. */
    private static final String SLOW = "SELECT SUM(X) FROM SYSTEM_RANGE(1, 200000)";

    @TempDir
    Path dir;

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

    @Test
    void aShorterQueryTimeoutStillAnswers57014() throws Exception {
        try (SqlStore store = SqlStore.open(dir, StoreOptions.defaults().withTxReplayBudgetMillis(60_000))) {
            TxClient tx = new TxClient(store);
            Reply r = store.speculate(new TxStatementRequest(tx.id, 0, List.of(),
                    TxOp.statement(SqlStatement.of(ENDLESS)), 200));
            assertThat(((ErrorReply) r).sqlState()).isEqualTo("57014");
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
}
