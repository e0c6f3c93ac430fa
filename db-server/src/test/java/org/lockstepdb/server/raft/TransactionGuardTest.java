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
}
