package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.intValue;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.query;
import static org.lockstepdb.storage.Entries.scalar;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.GeneratedKeyRequest;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.SessionValues;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.TxCommitRequest;
import org.lockstepdb.protocol.TxOp;
import org.lockstepdb.protocol.TxOutcome;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.TxStep;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;

/** Commit validation of interactive transactions at apply: serializable, deterministic, all or nothing. */
class TransactionCommitTest {
    @TempDir
    Path dir;
    SqlStore store;

    @BeforeEach
    void createCounters() throws Exception {
        store = SqlStore.open(dir);
        ok(apply(write("CREATE TABLE counter(id INT PRIMARY KEY, v INT)")));
        ok(apply(write("INSERT INTO counter VALUES (1, 0), (2, 0)")));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** The entry after the last applied one. */
    private long next() {
        return store.appliedIndex().index() + 1;
    }

    private Reply apply(WriteRequest entry) {
        return store.apply(1, next(), entry).orElseThrow();
    }

    private Reply commit(TxClient tx) {
        return store.apply(1, next(), tx.commitEntry(), null).orElseThrow();
    }

    private static ErrorReply serializationFailure(Reply reply) {
        assertThat(reply).isInstanceOf(ErrorReply.class);
        ErrorReply e = (ErrorReply) reply;
        assertThat(e.sqlState()).isEqualTo("40001");
        return e;
    }

    /** Read-modify-write as an application does it: read the value, compute, write the literal. */
    private static void increment(TxClient tx) {
        int v = (Integer) tx.scalar("SELECT v FROM counter WHERE id = 1");
        assertThat(tx.write("UPDATE counter SET v = " + (v + 1) + " WHERE id = 1").results().get(0).updateCounts())
                .containsExactly(1L);
    }

    @Test
    void lostUpdateIsImpossible() {
        TxClient a = new TxClient(store);
        TxClient b = new TxClient(store);
        increment(a);
        increment(b); // both read 0
        assertThat(commit(a)).isInstanceOf(WriteResult.class);
        ErrorReply e = serializationFailure(commit(b));
        assertThat(e.message()).contains("operation 1").contains("SELECT v FROM counter WHERE id = 1");
        assertThat(scalar(store, "SELECT v FROM counter WHERE id = 1")).isEqualTo(1);
        // the retry, on the new state, commits
        TxClient retry = new TxClient(store);
        increment(retry);
        assertThat(commit(retry)).isInstanceOf(WriteResult.class);
        assertThat(scalar(store, "SELECT v FROM counter WHERE id = 1")).isEqualTo(2);
    }

    @Test
    void writeSkewIsImpossible() {
        ok(apply(write("CREATE TABLE doctors(name VARCHAR(20) PRIMARY KEY, on_call BOOLEAN)")));
        ok(apply(write("INSERT INTO doctors VALUES ('alice', TRUE), ('bob', TRUE)")));
        TxClient alice = new TxClient(store);
        TxClient bob = new TxClient(store);
        for (Object[] d : new Object[][] {{alice, "alice"}, {bob, "bob"}}) {
            TxClient tx = (TxClient) d[0];
            assertThat(tx.scalar("SELECT COUNT(*) FROM doctors WHERE on_call AND name <> '" + d[1] + "'")).isEqualTo(1L);
            tx.write("UPDATE doctors SET on_call = FALSE WHERE name = '" + d[1] + "'");
        }
        assertThat(commit(alice)).isInstanceOf(WriteResult.class);
        serializationFailure(commit(bob));
        assertThat(scalar(store, "SELECT COUNT(*) FROM doctors WHERE on_call")).isEqualTo(1L);
    }

    @Test
    void aScriptWhoseReadsStillMatchCommitsAfterOtherWrites() {
        TxClient tx = new TxClient(store);
        increment(tx);
        ok(apply(write("UPDATE counter SET v = 5 WHERE id = 2"))); // a write to a row the transaction did not read
        Reply reply = commit(tx);
        assertThat(reply).isInstanceOf(WriteResult.class);
        assertThat(((WriteResult) reply).logIndex()).isEqualTo(store.appliedIndex().index());
        assertThat(query(store, "SELECT v FROM counter ORDER BY id").data().rows())
                .containsExactly(List.of(intValue(1)), List.of(intValue(5)));
    }

    @Test
    void aReadOfAbsentRowsIsValidatedToo() {
        TxClient tx = new TxClient(store);
        assertThat(tx.query("SELECT * FROM counter WHERE id > 2").data().rows()).isEmpty();
        tx.write("INSERT INTO counter VALUES (3, 0)");
        ok(apply(write("INSERT INTO counter VALUES (4, 0)"))); // a phantom for the predicate id > 2
        serializationFailure(commit(tx));
        assertThat(scalar(store, "SELECT COUNT(*) FROM counter")).isEqualTo(3L);
    }

    @Test
    void savepointsAreReplayedAtSpeculationAndCommit() {
        TxClient tx = new TxClient(store);
        tx.write("INSERT INTO counter VALUES (10, 10)");
        tx.run(TxOp.savepoint("s1"));
        tx.write("INSERT INTO counter VALUES (11, 11)");
        tx.run(TxOp.savepoint("s2"));
        tx.write("INSERT INTO counter VALUES (12, 12)");
        assertThat(tx.scalar("SELECT COUNT(*) FROM counter WHERE id >= 10")).isEqualTo(3L);
        tx.run(TxOp.rollbackTo("s1")); // undoes 11 and 12, forgets s2, keeps s1
        assertThat(tx.scalar("SELECT COUNT(*) FROM counter WHERE id >= 10")).isEqualTo(1L);
        Reply gone = tx.run(TxOp.rollbackTo("s2"));
        assertThat(gone).isInstanceOf(ErrorReply.class);
        assertThat(tx.steps.get(tx.steps.size() - 1).outcome()).isEqualTo(new TxOutcome.Error("90063", 90063));
        tx.write("INSERT INTO counter VALUES (13, 13)");
        tx.run(TxOp.rollbackTo("s1")); // still there after the first rollback to it
        tx.write("INSERT INTO counter VALUES (14, 14)");
        tx.run(TxOp.release("s1"));
        assertThat(tx.run(TxOp.rollbackTo("s1"))).isInstanceOf(ErrorReply.class);
        assertThat(scalar(store, "SELECT COUNT(*) FROM counter WHERE id >= 10")).as("nothing applied yet").isEqualTo(0L);
        assertThat(commit(tx)).isInstanceOf(WriteResult.class);
        assertThat(query(store, "SELECT id FROM counter WHERE id >= 10 ORDER BY id").data().rows())
                .containsExactly(List.of(intValue(10)), List.of(intValue(14)));
    }

    @Test
    void anErrorRecordedWithItsSqlStateMustRecur() {
        TxClient tx = new TxClient(store);
        ErrorReply dup = tx.error("INSERT INTO counter VALUES (1, 99)");
        assertThat(dup.sqlState()).isEqualTo("23505");
        tx.write("UPDATE counter SET v = 7 WHERE id = 2"); // H2 rolled back only the failed statement
        TxClient same = new TxClient(store);
        same.error("INSERT INTO counter VALUES (1, 99)");
        same.write("UPDATE counter SET v = 8 WHERE id = 2");
        assertThat(commit(tx)).isInstanceOf(WriteResult.class); // the duplicate is still a duplicate
        assertThat(scalar(store, "SELECT v FROM counter WHERE id = 2")).isEqualTo(7);

        ok(apply(write("DELETE FROM counter WHERE id = 1")));
        ErrorReply e = serializationFailure(commit(same)); // now the insert would succeed
        assertThat(e.message()).contains("operation 1").contains("error 23505");
        assertThat(scalar(store, "SELECT v FROM counter WHERE id = 2")).isEqualTo(7);
    }

    @Test
    void generatedKeysSeenInTheTransactionAreTheOnesStoredOrTheCommitFails() {
        ok(apply(write("CREATE TABLE parent(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name VARCHAR(20))")));
        ok(apply(write("CREATE TABLE child(id INT PRIMARY KEY, parent BIGINT REFERENCES parent(id))")));
        TxClient first = new TxClient(store);
        TxClient second = new TxClient(store);
        for (TxClient tx : List.of(first, second)) {
            WriteResult r = (WriteResult) tx.run(TxOp.statement(new SqlStatement("INSERT INTO parent(name) VALUES ('p')",
                    List.of(), GeneratedKeyRequest.TABLE_KEYS)));
            long key = (Long) r.results().get(0).generatedKeys().rows().get(0).get(0).value();
            assertThat(key).isEqualTo(1L); // both see the next key at the state they read
            tx.write("INSERT INTO child VALUES (" + (tx == first ? 1 : 2) + ", " + key + ")");
        }
        assertThat(commit(first)).isInstanceOf(WriteResult.class);
        assertThat(serializationFailure(commit(second)).message()).contains("generated keys");
        assertThat(query(store, "SELECT c.id, p.id FROM child c JOIN parent p ON c.parent = p.id").data().rows())
                .hasSize(1);
        // the rejected commit drew identity value 2 and gave it back: the next insert gets 2
        WriteResult plain = ok(store.apply(1, next(), new WriteRequest(0, List.of(new SqlStatement(
                "INSERT INTO parent(name) VALUES ('q')", List.of(), GeneratedKeyRequest.TABLE_KEYS)))));
        assertThat(plain.results().get(0).generatedKeys().rows().get(0).get(0).value()).isEqualTo(2L);
    }

    @Test
    void statementsH2RunsOutsideTransactionsAreRefusedAndNeverRun() {
        TxClient tx = new TxClient(store);
        for (String sql : List.of("CREATE TABLE sneaky(a INT)", "TRUNCATE TABLE counter", "SET LOCK_TIMEOUT 5",
                "COMMIT", "SCRIPT", "GRANT SELECT ON counter TO PUBLIC", "DROP TABLE counter",
                "CALL NEXT VALUE FOR x", "SELECT NEXT VALUE FOR SYSTEM_SEQUENCE_X")) {
            ErrorReply e = tx.error(sql);
            assertThat(e.sqlState()).as(sql).isIn("25001", "42S02", "90036"); // refused, or an unknown name
        }
        assertThat(tx.error("CREATE TABLE sneaky(a INT)").message()).contains("cannot run inside a transaction");
        // H2 would run the statements after the first too, the DDL committing on this replica alone
        assertThat(tx.error("SELECT 1; CREATE TABLE sneaky(a INT)").sqlState()).isEqualTo("0AL01");
        assertThat(tx.error("UPDATE counter SET v = 3; DROP TABLE counter").sqlState()).isEqualTo("0AL01");
        ok(apply(write("CREATE SEQUENCE s")));
        assertThat(tx.error("SELECT NEXT VALUE FOR s").message()).contains("NEXT VALUE FOR advances");
        assertThat(tx.error("UPDATE counter SET v = SET(@x, 1)").message()).contains("session variable");
        assertThat(tx.error("SELECT * FROM LOCKSTEP_SYS.CLIENT_CALLS").sqlState()).isEqualTo("42L05");
        assertThat(commit(tx)).isInstanceOf(WriteResult.class);
        assertThat(scalar(store, "SELECT COUNT(*) FROM counter")).isEqualTo(2L);
        assertThat(scalar(store, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'SNEAKY'"))
                .isEqualTo(0L);
        assertThat(scalar(store, "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'S'"))
                .isEqualTo(1L);
    }

    @Test
    void forUpdateIsAcceptedInATransactionAndValidated() {
        TxClient tx = new TxClient(store);
        assertThat(tx.query("SELECT v FROM counter WHERE id = 1 FOR UPDATE").data().rows()).hasSize(1);
        tx.write("UPDATE counter SET v = 1 WHERE id = 1");
        assertThat(commit(tx)).isInstanceOf(WriteResult.class);
    }

    @Test
    void theTransactionStampIsItsClockAtSpeculationAndCommit() {
        ok(apply(write("CREATE TABLE times(id INT PRIMARY KEY, ts TIMESTAMP, d TIMESTAMP)")));
        TxClient tx = new TxClient(store);
        tx.stampMillis = LocalDateTime.of(2020, 2, 29, 23, 59, 59).toInstant(ZoneOffset.UTC).toEpochMilli();
        Object seen = tx.scalar("SELECT LOCALTIMESTAMP");
        // TIME into TIMESTAMP takes "today" from the session clock
        tx.write("INSERT INTO times VALUES (1, LOCALTIMESTAMP, TIME '10:00:00')");
        tx.run(TxOp.savepoint("s"));
        tx.run(TxOp.rollbackTo("s")); // H2 resets its clock here; the pin must hold
        Object again = tx.scalar("SELECT CURRENT_DATE");
        assertThat(seen).isEqualTo(LocalDateTime.of(2020, 2, 29, 23, 59, 59));
        assertThat(again).isEqualTo(java.time.LocalDate.of(2020, 2, 29));
        assertThat(commit(tx)).isInstanceOf(WriteResult.class);
        assertThat(query(store, "SELECT ts, d FROM times").data().rows().get(0)).containsExactly(
                Value.of(org.lockstepdb.protocol.ValueType.TIMESTAMP, LocalDateTime.of(2020, 2, 29, 23, 59, 59)),
                Value.of(org.lockstepdb.protocol.ValueType.TIMESTAMP, LocalDateTime.of(2020, 2, 29, 10, 0)));
    }

    @Test
    void randomValuesAreTheSameAtSpeculationAndCommit() {
        ok(apply(write("CREATE TABLE r(id INT PRIMARY KEY, x DOUBLE, u UUID)")));
        TxClient tx = new TxClient(store);
        Object x = tx.scalar("SELECT RAND()");
        tx.write("INSERT INTO r VALUES (1, RAND(), RANDOM_UUID())");
        List<Value> speculated = tx.query("SELECT x, u FROM r").data().rows().get(0);
        assertThat(tx.scalar("SELECT RAND()")).as("another statement draws another value").isNotEqualTo(x);
        assertThat(commit(tx)).isInstanceOf(WriteResult.class);
        assertThat(query(store, "SELECT x, u FROM r").data().rows().get(0)).isEqualTo(speculated);
    }

    @Test
    void aReplayedOperationThatChangedAbortsTheSpeculationAtOnce() {
        TxClient tx = new TxClient(store);
        increment(tx);
        ok(apply(write("UPDATE counter SET v = 100 WHERE id = 1")));
        Reply r = tx.run("SELECT v FROM counter WHERE id = 2");
        serializationFailure(r);
        assertThat(((ErrorReply) r).message()).contains("at applied index " + store.appliedIndex().index());
    }

    @Test
    void aRepeatedCommitCallIsAnsweredWithItsOriginalReplyAndNotAppliedTwice() {
        TxClient tx = new TxClient(store);
        increment(tx);
        ClientCall call = new ClientCall("client-a".getBytes(java.nio.charset.StandardCharsets.UTF_8), 7);
        TxCommitRequest entry = tx.commitEntry();
        Reply first = store.apply(1, next(), entry, call).orElseThrow();
        Reply again = store.apply(1, next(), entry, call).orElseThrow();
        assertThat(first).isInstanceOf(WriteResult.class);
        assertThat(again).isEqualTo(first);
        assertThat(scalar(store, "SELECT v FROM counter WHERE id = 1")).isEqualTo(1);
    }

    @Test
    void speculationSeesOneStateAndReportsIt() {
        TxClient tx = new TxClient(store);
        Reply r = store.speculate(new TxStatementRequest(tx.id, 0, List.of(),
                TxOp.statement(SqlStatement.of("SELECT v FROM counter WHERE id = 1")), 0));
        assertThat(r).isInstanceOf(org.lockstepdb.protocol.TxStatementResult.class);
        var result = (org.lockstepdb.protocol.TxStatementResult) r;
        assertThat(result.appliedIndex()).isEqualTo(store.appliedIndex().index());
        assertThat(result.stampMillis()).isPositive(); // the replica stamped the transaction
        assertThat(result.outcome()).isInstanceOf(TxOutcome.Rows.class);
        // the outcome and the result agree
        assertThat(result.outcome()).isEqualTo(TxOutcome.rows(((org.lockstepdb.protocol.QueryResult) result.result()).data()));
        assertThat(new TxStep(TxOp.savepoint("x"), TxOutcome.DONE).outcome()).isEqualTo(TxOutcome.DONE);
    }

    @Test
    void speculationAndCommitRunInTheConnectionsSchemaAndLeaveTheSharedSessionsInPublic() {
        ok(apply(write("CREATE SCHEMA sales")));
        ok(apply(write("CREATE TABLE sales.counter(id INT PRIMARY KEY, v INT)")));
        ok(apply(write("INSERT INTO sales.counter VALUES (1, 100)")));
        TxClient tx = new TxClient(store);
        tx.session = new SessionValues("", "SALES");
        assertThat(tx.scalar("SELECT v FROM counter WHERE id = 1")).isEqualTo(100); // SALES.COUNTER, not PUBLIC's
        tx.write("UPDATE counter SET v = v + 1 WHERE id = 1");
        assertThat(commit(tx)).isInstanceOf(WriteResult.class);
        assertThat(scalar(store, "SELECT v FROM sales.counter WHERE id = 1")).isEqualTo(101);
        assertThat(scalar(store, "SELECT v FROM counter WHERE id = 1")).isEqualTo(0);
        // the apply and speculation sessions are back in PUBLIC for the next entry and transaction
        ok(apply(write("UPDATE counter SET v = 5 WHERE id = 1")));
        TxClient inPublic = new TxClient(store);
        assertThat(inPublic.scalar("SELECT v FROM counter WHERE id = 1")).isEqualTo(5);
    }

    @Test
    void aDroppedSchemaFailsTheCommitAndAReservedOneIsRefusedAlikeEverywhere() {
        ok(apply(write("CREATE SCHEMA gone")));
        ok(apply(write("CREATE TABLE gone.t(id INT PRIMARY KEY)")));
        TxClient tx = new TxClient(store);
        tx.session = new SessionValues("", "GONE");
        tx.write("INSERT INTO t VALUES (1)");
        ok(apply(write("DROP SCHEMA gone CASCADE")));
        Reply dropped = commit(tx);
        assertThat(dropped).isInstanceOf(ErrorReply.class);
        assertThat(((ErrorReply) dropped).sqlState()).isEqualTo("90079");
        TxClient next = new TxClient(store);
        next.session = new SessionValues("", "GONE");
        assertThat(next.run("SELECT 1")).isInstanceOf(ErrorReply.class)
                .extracting(r -> ((ErrorReply) r).sqlState()).isEqualTo("90079");
        TxClient reserved = new TxClient(store);
        reserved.session = new SessionValues("", "LOCKSTEP_SYS");
        assertThat(reserved.run("SELECT 1")).extracting(r -> ((ErrorReply) r).sqlState()).isEqualTo("42L05");
        assertThat(store.apply(1, next(), new TxCommitRequest(reserved.id, 1, List.of(new TxStep(
                TxOp.statement(SqlStatement.of("UPDATE counter SET v = 9")), TxOutcome.count(new org.lockstepdb
                .protocol.StatementResult(List.of(2L), null)))), reserved.session), null).orElseThrow())
                .extracting(r -> ((ErrorReply) r).sqlState()).isEqualTo("42L05");
        assertThat(scalar(store, "SELECT SUM(v) FROM counter")).isEqualTo(0L);
    }

    @Test
    void aSchemaSwitchInsideTheScriptMovesTheFollowingOperationsAndSurvivesARollbackToASavepoint() {
        ok(apply(write("CREATE SCHEMA sales")));
        ok(apply(write("CREATE TABLE sales.counter(id INT PRIMARY KEY, v INT)")));
        ok(apply(write("INSERT INTO sales.counter VALUES (1, 100)")));
        TxClient tx = new TxClient(store);
        tx.write("UPDATE counter SET v = 1 WHERE id = 1"); // PUBLIC
        tx.run(TxOp.savepoint("sp"));
        assertThat(tx.run(TxOp.setSchema("SALES"))).isInstanceOf(WriteResult.class);
        assertThat(tx.scalar("SELECT CURRENT_SCHEMA")).isEqualTo("SALES");
        tx.write("UPDATE counter SET v = v + 1 WHERE id = 1"); // SALES
        tx.run(TxOp.rollbackTo("sp")); // undoes the update, not the switch (as in H2)
        tx.write("UPDATE counter SET v = v + 10 WHERE id = 1"); // still SALES
        // a missing or reserved schema: an outcome, nothing switched
        assertThat(tx.run(TxOp.setSchema("NOPE"))).extracting(r -> ((ErrorReply) r).sqlState()).isEqualTo("90079");
        assertThat(tx.run(TxOp.setSchema("LOCKSTEP_SYS"))).extracting(r -> ((ErrorReply) r).sqlState())
                .isEqualTo("42L05");
        assertThat(tx.scalar("SELECT v FROM counter WHERE id = 1")).isEqualTo(110);
        assertThat(tx.steps.get(2).op().kind()).isEqualTo(TxOp.Kind.SET_SCHEMA);
        // the speculation session is back in PUBLIC for the next transaction
        assertThat(new TxClient(store).scalar("SELECT CURRENT_SCHEMA")).isEqualTo("PUBLIC");
        assertThat(commit(tx)).isInstanceOf(WriteResult.class);
        assertThat(scalar(store, "SELECT v FROM counter WHERE id = 1")).isEqualTo(1);
        assertThat(scalar(store, "SELECT v FROM sales.counter WHERE id = 1")).isEqualTo(110);
        // the apply session is back in PUBLIC for the next entry
        ok(apply(write("UPDATE counter SET v = 5 WHERE id = 1")));
        assertThat(scalar(store, "SELECT v FROM counter WHERE id = 1")).isEqualTo(5);
        assertThat(scalar(store, "SELECT v FROM sales.counter WHERE id = 1")).isEqualTo(110);
    }

    @Test
    void aSchemaDroppedBeforeTheCommitOfASwitchToItIsASerializationFailure() {
        ok(apply(write("CREATE SCHEMA gone")));
        ok(apply(write("CREATE TABLE gone.counter(id INT PRIMARY KEY, v INT)")));
        TxClient tx = new TxClient(store);
        tx.write("UPDATE counter SET v = 7 WHERE id = 1");
        tx.run(TxOp.setSchema("GONE"));
        tx.write("INSERT INTO counter VALUES (1, 1)");
        ok(apply(write("DROP SCHEMA gone CASCADE")));
        assertThat(serializationFailure(commit(tx)).message()).contains("SET_SCHEMA GONE");
        assertThat(scalar(store, "SELECT SUM(v) FROM counter")).isEqualTo(0L);
        ok(apply(write("UPDATE counter SET v = 3 WHERE id = 2"))); // the apply session resolves in PUBLIC again
        assertThat(scalar(store, "SELECT SUM(v) FROM counter")).isEqualTo(3L);
    }
}
