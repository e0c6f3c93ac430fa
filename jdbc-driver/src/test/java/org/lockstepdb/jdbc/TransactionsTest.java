package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.SessionValues;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.TxCommitRequest;
import org.lockstepdb.protocol.TxOp;
import org.lockstepdb.protocol.TxOutcome;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.TxStatementResult;
import org.lockstepdb.protocol.WriteResult;

/** The driver's side of interactive transactions, against a channel that answers with canned speculation results. */
class TransactionsTest {
    private static final TxOutcome ROWS_A = TxOutcome.rows(ResultData.empty());
    private static final TxOutcome ONE_ROW = new TxOutcome.Count(List.of(1L), new byte[0]);

    /** Answers transaction statements from a queue (a TxStatementResult, or an SQLException to throw). */
    static final class TxChannel extends FakeChannelBase {
        final List<TxStatementRequest> statements = new ArrayList<>();
        final List<String> homes = new ArrayList<>();
        final List<TxCommitRequest> commits = new ArrayList<>();
        final Deque<Object> answers = new ArrayDeque<>();

        @Override
        public String transactionHome() {
            return "follower-" + (homes.size() + 1);
        }

        @Override
        public TxStatementResult transactionStatement(TxStatementRequest request, String home) throws SQLException {
            statements.add(request);
            homes.add(home);
            Object a = answers.poll();
            if (a instanceof SQLException e) {
                throw e;
            }
            return (TxStatementResult) a;
        }

        @Override
        public WriteResult commit(TxCommitRequest commit, long budgetMillis) {
            commits.add(commit);
            return new WriteResult(42, List.of());
        }
    }

    /** The parts of SqlChannel these tests never use. */
    abstract static class FakeChannelBase implements SqlChannel {
        @Override
        public WriteResult write(org.lockstepdb.protocol.WriteRequest request) {
            throw new AssertionError("no plain writes here");
        }

        @Override
        public QueryResult query(org.lockstepdb.protocol.QueryRequest request, ReadConsistency consistency, long minIndex) {
            throw new AssertionError("no plain queries here");
        }

        @Override
        public void close() {
        }
    }

    private final TxChannel channel = new TxChannel();
    private long nanos;
    private SessionValues session = SessionValues.DEFAULT;
    private final Transactions tx;

    TransactionsTest() throws SQLException {
        ConnectionUrl url = ConnectionUrl.parse("jdbc:lockstep://h:1?txIdleTimeoutMs=1000");
        tx = new Transactions(channel, url, new ClusterRequests(url, channel), () -> nanos, () -> session);
    }

    @Test
    void everyRequestOfATransactionCarriesTheSessionItBeganIn() throws SQLException {
        SessionValues sales = new SessionValues("BOB", "SALES");
        session = sales;
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        channel.answers.add(result(5, new WriteResult(5, List.of(new StatementResult(List.of(1L), null))), ONE_ROW));
        tx.statement(sql("SELECT v FROM t"), false, 0);
        assertThat(tx.openSession()).isEqualTo(sales);
        session = SessionValues.DEFAULT; // read when the transaction begins, not later
        tx.statement(sql("UPDATE t SET v = 2"), true, 0);
        tx.commit(0);
        assertThat(channel.statements).extracting(TxStatementRequest::session).containsOnly(sales);
        assertThat(channel.commits).singleElement().extracting(TxCommitRequest::session).isEqualTo(sales);
        assertThat(tx.openSession()).isNull();
    }

    @Test
    void aSchemaSwitchIsAnOperationOfTheScriptThatTheCommitCarries() throws SQLException {
        SessionValues sales = new SessionValues("BOB", "SALES");
        session = sales;
        WriteResult done = new WriteResult(5, List.of(new StatementResult(List.of(), null)));
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        channel.answers.add(result(5, done, TxOutcome.DONE));
        channel.answers.add(result(5, new ErrorReply("90079", 90079, "Schema \"NOPE\" not found"),
                new TxOutcome.Error("90079", 90079)));
        channel.answers.add(result(5, new WriteResult(5, List.of(new StatementResult(List.of(1L), null))), ONE_ROW));
        assertThatThrownBy(() -> tx.setSchema("HR")).isInstanceOf(IllegalStateException.class); // nothing open
        tx.statement(sql("SELECT v FROM t"), false, 0);
        tx.setSchema("HR");
        assertThatThrownBy(() -> tx.setSchema("NOPE")).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("90079"); // recorded as it ran: the transaction goes on
        tx.statement(sql("UPDATE t SET v = 2"), true, 0);
        tx.commit(0);
        assertThat(channel.statements).extracting(TxStatementRequest::next).containsExactly(
                TxOp.statement(sql("SELECT v FROM t")), TxOp.setSchema("HR"), TxOp.setSchema("NOPE"),
                TxOp.statement(sql("UPDATE t SET v = 2")));
        TxCommitRequest commit = channel.commits.get(0);
        assertThat(commit.session()).isEqualTo(sales); // the replay starts where the transaction began
        assertThat(commit.steps()).extracting(s -> s.op().kind()).containsExactly(TxOp.Kind.STATEMENT,
                TxOp.Kind.SET_SCHEMA, TxOp.Kind.SET_SCHEMA, TxOp.Kind.STATEMENT);
        assertThat(commit.steps().get(2).outcome()).isEqualTo(new TxOutcome.Error("90079", 90079));
    }

    private static TxStatementResult result(long index, Reply reply, TxOutcome outcome) {
        return new TxStatementResult(1_000, index, reply, outcome);
    }

    private static SqlStatement sql(String text) {
        return new SqlStatement(text, List.of(), org.lockstepdb.protocol.GeneratedKeyRequest.NONE);
    }

    @Test
    void theScriptGrowsWithEveryAnsweredOperationAndCommitsAsOneRequest() throws SQLException {
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        channel.answers.add(result(5, new ErrorReply("23505", 23505, "duplicate"), new TxOutcome.Error("23505", 23505)));
        channel.answers.add(new SQLException("refused by the guard", "42L01"));
        channel.answers.add(result(7, new WriteResult(7, List.of(new StatementResult(List.of(1L), null))), ONE_ROW));
        tx.statement(sql("SELECT v FROM t"), false, 0);
        assertThatThrownBy(() -> tx.statement(sql("INSERT INTO t VALUES (1)"), true, 0)) // recorded: it ran
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("23505");
        assertThatThrownBy(() -> tx.statement(sql("INSERT INTO t VALUES (RANDOM_UUID())"), true, 0)) // not recorded
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42L01");
        tx.statement(sql("UPDATE t SET v = 2"), true, 0);
        assertThat(channel.statements).extracting(TxStatementRequest::stampMillis).containsExactly(0L, 1_000L, 1_000L, 1_000L);
        assertThat(channel.statements).extracting(r -> r.done().size()).containsExactly(0, 1, 2, 2);
        assertThat(channel.homes).containsOnly("follower-1"); // one home for the whole transaction
        tx.commit(0);
        assertThat(tx.isOpen()).isFalse();
        assertThat(channel.commits).hasSize(1);
        TxCommitRequest commit = channel.commits.get(0);
        assertThat(commit.stampMillis()).isEqualTo(1_000);
        assertThat(commit.steps()).extracting(s -> s.op().describe())
                .containsExactly("SELECT v FROM t", "INSERT INTO t VALUES (1)", "UPDATE t SET v = 2");
        assertThat(commit.txId()).isEqualTo(channel.statements.get(0).txId());
    }

    @Test
    void aReadOnlyTransactionAtOneIndexCommitsWithoutAnyRequest() throws SQLException {
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        tx.statement(sql("SELECT 1"), false, 0);
        tx.statement(sql("SELECT 2"), false, 0);
        tx.commit(0);
        assertThat(channel.statements).hasSize(2);
        assertThat(channel.commits).isEmpty();
    }

    @Test
    void aReadOnlyTransactionAtSeveralIndexesIsValidatedOnceMoreAtOneState() throws SQLException {
        TxOutcome other = new TxOutcome.Count(List.of(2L), new byte[0]);
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        channel.answers.add(result(6, new QueryResult(6, ResultData.empty()), ONE_ROW));
        channel.answers.add(result(8, new QueryResult(8, ResultData.empty()), ONE_ROW)); // validation: same
        tx.statement(sql("SELECT 1"), false, 0);
        tx.statement(sql("SELECT 2"), false, 0);
        tx.commit(0);
        assertThat(channel.statements).hasSize(3);
        assertThat(channel.statements.get(2).done()).hasSize(1);
        assertThat(channel.statements.get(2).next().describe()).isEqualTo("SELECT 2");

        channel.answers.add(result(9, new QueryResult(9, ResultData.empty()), ROWS_A));
        channel.answers.add(result(10, new QueryResult(10, ResultData.empty()), ONE_ROW));
        channel.answers.add(result(11, new QueryResult(11, ResultData.empty()), other)); // validation: changed
        tx.statement(sql("SELECT 1"), false, 0);
        tx.statement(sql("SELECT 2"), false, 0);
        assertThatThrownBy(() -> tx.commit(0)).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("40001");
        assertThat(tx.isOpen()).isFalse();
        assertThat(channel.commits).isEmpty();
    }

    @Test
    void savepointsAreOperationsOfTheScript() throws SQLException {
        for (int i = 0; i < 3; i++) {
            channel.answers.add(result(5, new WriteResult(5, List.of()), TxOutcome.DONE));
        }
        Savepoint unnamed = tx.setSavepoint(null);
        Savepoint named = tx.setSavepoint("before");
        tx.rollback(unnamed);
        assertThat(channel.statements).extracting(r -> r.next().kind())
                .containsExactly(TxOp.Kind.SAVEPOINT, TxOp.Kind.SAVEPOINT, TxOp.Kind.ROLLBACK_TO);
        assertThat(named.getSavepointName()).isEqualTo("before");
        assertThatThrownBy(named::getSavepointId).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("HY024");
        tx.rollback();
        assertThatThrownBy(() -> tx.release(named)).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("3B001");
    }

    @Test
    void anIdleTransactionIsRolledBackAndItsNextUseFailsWith25P03() throws SQLException {
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        tx.statement(sql("SELECT 1"), false, 0);
        nanos += TimeUnit.MILLISECONDS.toNanos(1_001);
        assertThatThrownBy(() -> tx.statement(sql("SELECT 1"), false, 0))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(Transactions.IDLE_TIMEOUT);
        assertThat(tx.isOpen()).isFalse();
        assertThat(tx.isAborted()).isTrue(); // it had run a statement: aborted until rollback()
        assertThat(channel.statements).hasSize(1);
        assertThatThrownBy(() -> tx.commit(0)).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo(Transactions.IDLE_TIMEOUT);
        assertThat(tx.isAborted()).isFalse(); // a failed commit ends it, as any failed commit
        assertThat(channel.commits).isEmpty();
    }

    @Test
    void aFirstOperationMovesToAnotherReplicaWhenItsHomeCannotServeIt() throws SQLException {
        channel.answers.add(new SQLException("leader unknown", "08S01"));
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        tx.statement(sql("SELECT 1"), false, 0);
        tx.statement(sql("SELECT 2"), false, 0);
        assertThat(channel.homes).containsExactly("follower-1", "follower-2", "follower-2");
        assertThat(channel.statements.get(2).done()).hasSize(1);
        tx.commit(0);
    }

    @Test
    void aLostHomeReplicaOrA40001EndsTheTransaction() throws SQLException {
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        channel.answers.add(new SQLException("The transaction lost its server", "08S01"));
        tx.statement(sql("SELECT 1"), true, 0);
        assertThatThrownBy(() -> tx.statement(sql("SELECT 2"), false, 0))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08S01");
        assertThat(tx.isOpen()).isFalse();
        tx.rollback();
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        channel.answers.add(new SQLException("serialization failure", "40001"));
        tx.statement(sql("SELECT 1"), true, 0);
        assertThatThrownBy(() -> tx.statement(sql("SELECT 2"), false, 0))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("40001");
        assertThat(tx.isOpen()).isFalse();
        assertThat(channel.homes).containsExactly("follower-1", "follower-1", "follower-3", "follower-3");
        assertThat(channel.commits).isEmpty();
    }

    /**
     * The newcomer's bank transfer: the debit ran, the second statement failed with 40001 and was ignored, the
     * credit would have begun a new transaction and commit() would have created money. Now the transaction stays
     * aborted: the credit fails with 25P02 without reaching any replica, commit() fails with 40001, and after
     * rollback() the next statement begins a new transaction.
     */
    @Test
    void aStatementErrorThatEndsTheTransactionAbortsItUntilRollback() throws SQLException {
        WriteResult oneRow = new WriteResult(5, List.of(new StatementResult(List.of(1L), null)));
        channel.answers.add(result(5, oneRow, ONE_ROW));
        channel.answers.add(new java.sql.SQLTransactionRollbackException("serialization failure", "40001"));
        tx.statement(sql("UPDATE bank SET bal = bal - 50 WHERE id = 1"), true, 0);
        assertThatThrownBy(() -> tx.statement(sql("INSERT INTO audit VALUES (1)"), true, 0))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("40001");
        assertThat(tx.isAborted()).isTrue();

        assertThatThrownBy(() -> tx.statement(sql("UPDATE bank SET bal = bal + 50 WHERE id = 2"), true, 0))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo(Transactions.ABORTED);
                    assertThat(e.getMessage()).contains("earlier 40001 error", "nothing of it was applied",
                            "call rollback()");
                });
        assertThatThrownBy(() -> tx.setSavepoint(null)).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo(Transactions.ABORTED);
        assertThatThrownBy(() -> tx.setSavepoint("s")).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo(Transactions.ABORTED);
        assertThatThrownBy(() -> tx.setSchema("HR")).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo(Transactions.ABORTED);
        assertThat(channel.statements).hasSize(2); // nothing more was sent
        tx.rollback();
        assertThat(tx.isAborted()).isFalse();

        channel.answers.add(result(6, oneRow, ONE_ROW));
        tx.statement(sql("UPDATE bank SET bal = bal + 50 WHERE id = 2"), true, 0);
        assertThat(channel.statements.get(2).done()).isEmpty(); // a new transaction
        assertThat(channel.statements.get(2).txId()).isNotEqualTo(channel.statements.get(0).txId());
        tx.commit(0);
        assertThat(channel.commits).singleElement().satisfies(c -> assertThat(c.steps()).hasSize(1));
    }

    @Test
    void theCommitOfAnAbortedTransactionFailsWithTheOriginalStateAndAppliesNothing() throws SQLException {
        channel.answers.add(result(5, new WriteResult(5, List.of(new StatementResult(List.of(1L), null))), ONE_ROW));
        channel.answers.add(new java.sql.SQLTransactionRollbackException("serialization failure", "40001"));
        tx.statement(sql("UPDATE t SET v = 1"), true, 0);
        assertThatThrownBy(() -> tx.statement(sql("UPDATE t SET v = 2"), true, 0)).isInstanceOf(SQLException.class);
        Savepoint none = null;
        assertThatThrownBy(() -> tx.rollback(none)).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo(Transactions.ABORTED);
        assertThatThrownBy(() -> tx.commit(0))
                .isInstanceOfSatisfying(java.sql.SQLTransactionRollbackException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("40001"); // frameworks retry on it
                    assertThat(e.getMessage()).contains("Cannot commit", "nothing of it was applied");
                });
        assertThat(channel.commits).isEmpty();
        assertThat(tx.isAborted()).isFalse(); // the commit attempt ended it

        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        channel.answers.add(new SQLException("The home replica did not answer", "08S01"));
        tx.statement(sql("SELECT 1"), false, 0);
        assertThatThrownBy(() -> tx.statement(sql("SELECT 2"), false, 0)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> tx.commit(0)).isInstanceOfSatisfying(java.sql.SQLNonTransientConnectionException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("08S01"));
    }

    @Test
    void aFailedFirstOperationLeavesNothingToAbort() throws SQLException {
        channel.answers.add(new SQLException("down", "08S01"));
        channel.answers.add(new SQLException("down", "08S01"));
        channel.answers.add(new SQLException("down", "08S01"));
        assertThatThrownBy(() -> tx.statement(sql("SELECT 1"), false, 0)).extracting(e -> ((SQLException) e)
                .getSQLState()).isEqualTo("08S01");
        assertThat(tx.isAborted()).isFalse();
        channel.answers.add(result(5, new QueryResult(5, ResultData.empty()), ROWS_A));
        tx.statement(sql("SELECT 1"), false, 0);
        tx.commit(0);
    }

    @Test
    void aStatementRefusedOverTheTransactionLimitsLeavesTheTransactionOpenWithoutIt() throws SQLException {
        WriteResult oneRow = new WriteResult(5, List.of(new StatementResult(List.of(1L), null)));
        channel.answers.add(result(5, oneRow, ONE_ROW));
        channel.answers.add(new SQLException("with this statement and its result the transaction's commit would be "
                + "3705108 bytes", "54000"));
        channel.answers.add(result(5, oneRow, ONE_ROW));
        tx.statement(sql("UPDATE t SET v = 1"), true, 0);
        assertThatThrownBy(() -> tx.statement(sql("INSERT INTO t VALUES (?)"), true, 0))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("54000");
        assertThat(tx.isAborted()).isFalse();
        tx.statement(sql("UPDATE t SET v = 2"), true, 0);
        tx.commit(0);
        assertThat(channel.commits).singleElement().satisfies(c -> assertThat(c.steps()).extracting(st -> st.op()
                .describe()).containsExactly("UPDATE t SET v = 1", "UPDATE t SET v = 2"));
    }

    @Test
    void aHomeThatTimedOutIsNotCalledLost() {
        String timedOut = ClusterClient.homeFailure("n3", new java.io.IOException("call failed",
                new java.util.concurrent.TimeoutException("no reply in 3000 ms")));
        assertThat(timedOut).contains("No answer from the transaction's home replica n3 or the cluster within the time "
                + "limit", "leader failover", "nothing of it was applied").doesNotContain("lost");
        String refused = ClusterClient.homeFailure("n3", new java.io.IOException("Connection refused"));
        assertThat(refused).contains("home replica n3 could not be reached", "nothing of it was applied");
    }
}
