package org.lockstepdb.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockstepdb.guard.StatementGuard;
import org.lockstepdb.protocol.SessionValues;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.TxCommitRequest;
import org.lockstepdb.protocol.TxId;
import org.lockstepdb.protocol.TxOp;
import org.lockstepdb.protocol.TxOutcome;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.TxStep;

/** The connection's session through the transaction guard: spliced user, kept schema, refused reserved schemas. */
class TransactionGuardTest {
    private static final SessionValues BOB_IN_SALES = new SessionValues("BOB", "SALES");
    private final TransactionGuard guard = new TransactionGuard(new StatementGuard(), new WriteAdmission(1 << 20));

    private static TxStep step(String sql) {
        return new TxStep(TxOp.statement(SqlStatement.of(sql)), TxOutcome.count(new StatementResult(List.of(1L), null)));
    }

    @Test
    void theSpeculationAndTheCommitSpliceTheUserAndKeepOnlyTheSchema() {
        TxId id = new TxId("c", 1);
        TxStatementRequest request = new TxStatementRequest(id, 0, List.of(step("UPDATE t SET who = USER()")),
                TxOp.statement(SqlStatement.of("SELECT CURRENT_SCHEMA, USER() FROM t")), 0, BOB_IN_SALES);
        TxStatementRequest speculated = guard.speculation(request, 100, 77).request();
        assertThat(speculated.stampMillis()).isEqualTo(77);
        assertThat(speculated.session()).isEqualTo(new SessionValues("", "SALES"));
        assertThat(speculated.done().get(0).op().statement().sql()).isEqualTo("UPDATE t SET who = 'BOB'");
        assertThat(speculated.next().statement().sql()).isEqualTo("SELECT 'SALES', 'BOB' FROM t");

        TxCommitRequest logged = guard.commit(new TxCommitRequest(id, 77, List.of(step("UPDATE t SET who = USER()")),
                BOB_IN_SALES), 100).request();
        assertThat(logged.session()).isEqualTo(new SessionValues("", "SALES"));
        assertThat(logged.steps().get(0).op().statement().sql()).isEqualTo("UPDATE t SET who = 'BOB'");
    }

    @Test
    void aReservedCurrentSchemaIsRefusedBeforeAnythingRuns() {
        SessionValues reserved = new SessionValues("", "LOCKSTEP_SYS");
        TxId id = new TxId("c", 2);
        assertThat(guard.speculation(new TxStatementRequest(id, 0, List.of(), TxOp.statement(SqlStatement.of("SELECT 1")),
                0, reserved), 100, 77).rejection().sqlState()).isEqualTo("42L05");
        assertThat(guard.commit(new TxCommitRequest(id, 77, List.of(step("UPDATE t SET v = 1")), reserved), 100)
                .rejection().sqlState()).isEqualTo("42L05");
    }

    @Test
    void eachStatementSeesTheSchemaOfTheSwitchesBeforeItThatSucceeded() {
        TxId id = new TxId("c", 3);
        List<TxStep> script = List.of(step("UPDATE t SET s = CURRENT_SCHEMA"),
                new TxStep(TxOp.setSchema("Hr"), TxOutcome.DONE),
                step("UPDATE t SET s = SCHEMA()"),
                new TxStep(TxOp.setSchema("NOPE"), new TxOutcome.Error("90079", 90079)), // failed: still Hr
                step("UPDATE t SET s = CURRENT_SCHEMA, u = USER()"));
        TxStatementRequest speculated = guard.speculation(new TxStatementRequest(id, 0, script,
                TxOp.statement(SqlStatement.of("SELECT CURRENT_SCHEMA")), 0, BOB_IN_SALES), 100, 77).request();
        List<String> sql = speculated.done().stream().filter(s -> s.op().kind() == TxOp.Kind.STATEMENT)
                .map(s -> s.op().statement().sql()).toList();
        assertThat(sql).containsExactly("UPDATE t SET s = 'SALES'", "UPDATE t SET s = 'Hr'",
                "UPDATE t SET s = 'Hr', u = 'BOB'");
        assertThat(speculated.next().statement().sql()).isEqualTo("SELECT 'Hr'");
        assertThat(speculated.done().get(1).op()).isEqualTo(TxOp.setSchema("Hr"));
        assertThat(speculated.session()).isEqualTo(new SessionValues("", "SALES")); // the replay starts there

        TxCommitRequest logged = guard.commit(new TxCommitRequest(id, 77, script, BOB_IN_SALES), 100).request();
        assertThat(logged.session()).isEqualTo(new SessionValues("", "SALES"));
        assertThat(logged.steps().get(4).op().statement().sql()).isEqualTo("UPDATE t SET s = 'Hr', u = 'BOB'");
    }

    @Test
    void aClaimedSwitchToAReservedSchemaIsRefusedAndAnAttemptedOneRuns() {
        TxId id = new TxId("c", 4);
        List<TxStep> claimed = List.of(new TxStep(TxOp.setSchema("INFORMATION_SCHEMA"), TxOutcome.DONE),
                step("UPDATE t SET v = 1"));
        assertThat(guard.commit(new TxCommitRequest(id, 77, claimed, BOB_IN_SALES), 100).rejection().sqlState())
                .isEqualTo("42L05");
        assertThat(guard.speculation(new TxStatementRequest(id, 77, claimed, TxOp.statement(SqlStatement.of(
                "SELECT 1")), 0, BOB_IN_SALES), 100, 77).rejection().sqlState()).isEqualTo("42L05");
        // as the next operation it runs: the replica answers 42L05 as its outcome
        assertThat(guard.speculation(new TxStatementRequest(id, 77, List.of(), TxOp.setSchema("LOCKSTEP_SYS"), 0,
                BOB_IN_SALES), 100, 77).rejection()).isNull();
    }

    private static SqlStatement batch(int rows) {
        List<List<org.lockstepdb.protocol.Value>> sets = java.util.Collections.nCopies(rows, List.of());
        return new SqlStatement("INSERT INTO t VALUES (1)", sets, org.lockstepdb.protocol.GeneratedKeyRequest.NONE);
    }

    @Test
    void theStatementThatWouldTakeATransactionOver100000ExecutionsIsRefusedWith54000() {
        TxId id = new TxId("c", 9);
        List<TxStep> done = List.of(new TxStep(TxOp.statement(batch(60_000)), TxOutcome.DONE));
        org.lockstepdb.protocol.ErrorReply refused = guard.speculation(new TxStatementRequest(id, 77, done,
                TxOp.statement(batch(40_001)), 0, SessionValues.DEFAULT), 100, 77).rejection();
        assertThat(refused.sqlState()).isEqualTo("54000");
        assertThat(refused.message()).contains("100000", "100001", "stays open");
        assertThat(guard.speculation(new TxStatementRequest(id, 77, done, TxOp.statement(batch(40_000)), 0,
                SessionValues.DEFAULT), 100, 77).rejection()).isNull(); // exactly at the bound

        List<TxStep> over = List.of(done.get(0), new TxStep(TxOp.statement(batch(40_001)), TxOutcome.DONE));
        org.lockstepdb.protocol.ErrorReply atCommit = guard.commit(new TxCommitRequest(id, 77, over,
                SessionValues.DEFAULT), 100).rejection(); // the backstop for clients that skip the statement check
        assertThat(atCommit.sqlState()).isEqualTo("54000");
        assertThat(atCommit.message()).contains("nothing of it was applied").doesNotContain("batch into");
    }

    @Test
    void theSizeCheckCountsTheOutcomeTheCommitWillCarry() {
        TransactionGuard small = new TransactionGuard(new StatementGuard(), new WriteAdmission(4_000));
        TxStatementRequest request = new TxStatementRequest(new TxId("c", 10), 77, List.of(step("UPDATE t SET v = 1")),
                TxOp.statement(SqlStatement.of("UPDATE t SET v = v + 1")), 0, SessionValues.DEFAULT);
        assertThat(small.speculation(request, org.lockstepdb.protocol.MessageCodec.encode(request).length, 77)
                .rejection()).isNull(); // the request alone fits
        org.lockstepdb.protocol.TxStatementResult fits = new org.lockstepdb.protocol.TxStatementResult(77, 5,
                new org.lockstepdb.protocol.WriteResult(5, List.of()), new TxOutcome.Count(List.of(1L), new byte[0]));
        assertThat(small.afterSpeculation(request, fits)).isSameAs(fits);
        org.lockstepdb.protocol.TxStatementResult big = new org.lockstepdb.protocol.TxStatementResult(77, 5,
                new org.lockstepdb.protocol.WriteResult(5, List.of()),
                new TxOutcome.Count(java.util.Collections.nCopies(5_000, 1L), new byte[0]));
        org.lockstepdb.protocol.Reply refused = small.afterSpeculation(request, big);
        assertThat(refused).isInstanceOfSatisfying(org.lockstepdb.protocol.ErrorReply.class, e -> {
            assertThat(e.sqlState()).isEqualTo("54000");
            assertThat(e.message()).contains("the transaction's commit would be", "stays open")
                    .doesNotContain("split the batch");
        });
        TxCommitRequest commit = new TxCommitRequest(request.txId(), 77, List.of(request.done().get(0),
                new TxStep(request.next(), big.outcome())), SessionValues.DEFAULT);
        int commitBytes = org.lockstepdb.protocol.MessageCodec.encode(commit).length;
        assertThat(((org.lockstepdb.protocol.ErrorReply) refused).message()).contains(commitBytes + " bytes");
        assertThat(small.commit(commit, commitBytes).rejection().message())
                .contains("transaction's commit of " + commitBytes).doesNotContain("split the batch");
    }

    @Test
    void transactionControlInsideATransactionNamesTheJdbcMethods() {
        org.lockstepdb.protocol.ErrorReply refused = guard.speculation(new TxStatementRequest(new TxId("c", 11), 77,
                List.of(step("UPDATE t SET v = 1")), TxOp.statement(SqlStatement.of("COMMIT")), 0,
                SessionValues.DEFAULT), 100, 77).rejection();
        assertThat(refused.sqlState()).isEqualTo("25L01");
        assertThat(refused.message()).contains("Connection.commit()", "stays open")
                .doesNotContain("atomically on its own");
    }
}
