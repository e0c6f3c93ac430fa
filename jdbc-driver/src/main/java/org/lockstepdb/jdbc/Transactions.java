package org.lockstepdb.jdbc;

import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.SessionValues;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.TxCommitRequest;
import org.lockstepdb.protocol.TxId;
import org.lockstepdb.protocol.TxOp;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.TxStatementResult;
import org.lockstepdb.protocol.TxStep;
import org.lockstepdb.protocol.WriteResult;

/**
 * The interactive transactions of one connection ({@code setAutoCommit(false)}). An open transaction is a script:
 * each operation (statement with parameters, or savepoint operation) runs speculatively on the transaction's home
 * replica together with the ones before it ({@link SqlChannel#transactionStatement}); what it showed the
 * application is recorded as a {@link TxStep}. {@link #commit} sends the script with the outcomes as one log
 * entry that every replica validates (40001 if an outcome changed); {@link #rollback} forgets it — nothing of an
 * open transaction is ever applied anywhere. A transaction begins at its first operation (its home replica stamps
 * it then), not at {@code setAutoCommit(false)}.
 *
 * <p>An operation that the replica answered ({@link TxStatementResult}, also with a statement error inside) is
 * recorded; one refused before it ran (guard, 54000 over the request limit, a time limit) is not, and the
 * transaction stays open. A lost home replica (08xxx), a replayed operation that now differs (40001) or an idle
 * transaction (25P03) end it: it is rolled back and, as in PostgreSQL, <em>aborted</em> ({@link Aborted}): every
 * further operation fails with 25P02 and the commit with the original SQLState until {@link #rollback}, so an
 * application that swallows the error cannot commit the second half of a transaction whose first half is gone.
 * Not thread-safe (as a JDBC connection's transaction state).
 *
 * <p>A transaction runs in the connection's session values as they were at its first operation (user, current
 * schema): every speculation and the commit carry them, as plain writes do. A schema change while it is open is
 * an operation of its script ({@link #setSchema}), replayed in order everywhere.
 */
final class Transactions {
    /** SQLState of a transaction rolled back because it was idle too long (PostgreSQL's idle_in_transaction_session_timeout). */
    static final String IDLE_TIMEOUT = "25P03";
    /** SQLState of an operation in a transaction an earlier error rolled back (PostgreSQL's in_failed_sql_transaction). */
    static final String ABORTED = "25P02";
    /** How many replicas a transaction's first operation tries before it fails. */
    private static final int FIRST_OPERATION_HOMES = 3;

    private final SqlChannel channel;
    private final ConnectionUrl url;
    private final ClusterRequests requests;
    private final LongSupplier nanoClock;
    private final Supplier<SessionValues> session;
    private final String clientId = UUID.randomUUID().toString();
    private long nextSequence;
    private int nextSavepointId;
    /** The open transaction, or null (none, or not begun yet). */
    private Open open;
    /** Set when an error ended a transaction that had run operations; cleared by rollback or a commit attempt. */
    private Aborted aborted;

    /** The error that rolled back a transaction behind the application's back (its SQLState and message). */
    private record Aborted(String sqlState, int vendorCode, String message) {
        /** 25P02 for any further operation of the aborted transaction. */
        SQLException operationRefusal() {
            return new SQLException("The transaction was rolled back by the earlier " + sqlState + " error (" + message
                    + "); nothing of it was applied; call rollback() and run it again", ABORTED);
        }

        /** The commit's failure: the original SQLState (40001 lets frameworks retry), nothing applied. */
        SQLException commitRefusal() {
            return ServerErrorTranslation.toException(new ErrorReply(sqlState, vendorCode, "Cannot commit: the "
                    + "transaction was rolled back by the earlier " + sqlState + " error (" + message + "); nothing of "
                    + "it was applied: run it again"));
        }
    }

    /**
     * One open transaction: where it runs, in which session values, its stamp, its script and the applied indexes
     * its operations saw.
     */
    private static final class Open {
        final TxId id;
        final String home;
        final SessionValues session;
        final List<TxStep> steps = new ArrayList<>();
        long stampMillis;
        long firstIndex = -1;
        boolean oneIndex = true;
        boolean writes;
        long lastUsedNanos;

        Open(TxId id, String home, SessionValues session, long now) {
            this.id = id;
            this.home = home;
            this.session = session;
            this.lastUsedNanos = now;
        }
    }

    /** @param session the connection's session values now (read when a transaction begins) */
    Transactions(SqlChannel channel, ConnectionUrl url, ClusterRequests requests, LongSupplier nanoClock,
                 Supplier<SessionValues> session) {
        this.channel = channel;
        this.url = url;
        this.requests = requests;
        this.nanoClock = nanoClock;
        this.session = session;
    }

    /** The session values of the open transaction, or null if none is open. */
    SessionValues openSession() {
        return open == null ? null : open.session;
    }

    /**
     * Switches the open transaction's schema: a {@link TxOp.Kind#SET_SCHEMA} operation in its script, so the
     * following operations resolve unqualified names in {@code schema} on the home replica and at the commit on
     * every replica. As in H2 the switch is session state: a rollback (to a savepoint) does not undo it.
     *
     * @param schema an existing schema's exact name, at most {@link SessionValues#MAX_NAME_LENGTH} chars
     * @throws SQLException 90079 no such schema (now, on the home replica: the switch is recorded as failed and
     *                      the schema stays), 42L05 a reserved schema, or a refusal as for any operation
     * @throws IllegalStateException if no transaction is open
     */
    void setSchema(String schema) throws SQLException {
        checkNotAborted();
        if (open == null) {
            throw new IllegalStateException("no open transaction");
        }
        failOnError(run(TxOp.setSchema(schema), false, 0));
    }

    /**
     * The isolation a connection reports: SERIALIZABLE (transactions are strictly serializable whatever level is
     * asked for), but READ_COMMITTED in auto-commit mode with {@code read=stale} (a query may miss writes
     * acknowledged to others).
     */
    static int isolation(boolean autoCommit, ReadConsistency read) {
        return autoCommit && read == ReadConsistency.STALE ? java.sql.Connection.TRANSACTION_READ_COMMITTED
                : java.sql.Connection.TRANSACTION_SERIALIZABLE;
    }

    /** Accepts the four JDBC levels (all run SERIALIZABLE); anything else is HY024. */
    static void checkIsolationLevel(int level) throws SQLException {
        switch (level) {
            case java.sql.Connection.TRANSACTION_READ_UNCOMMITTED, java.sql.Connection.TRANSACTION_READ_COMMITTED,
                    java.sql.Connection.TRANSACTION_REPEATABLE_READ, java.sql.Connection.TRANSACTION_SERIALIZABLE -> {
            }
            default -> throw new SQLException("Invalid transaction isolation level " + level, "HY024");
        }
    }

    /** Whether a transaction has begun (an operation ran) and is neither committed nor rolled back. */
    boolean isOpen() {
        return open != null;
    }

    /** Whether an error rolled back the transaction and the application has not called rollback() (or commit) since. */
    boolean isAborted() {
        return aborted != null;
    }

    /**
     * For every operation of a transaction (also those run beside it that change data or commit it, such as DDL or
     * {@code NEXT VALUE FOR}): refuses it while the transaction is aborted.
     *
     * @throws SQLException 25P02 if an earlier error rolled the transaction back and rollback() was not called
     */
    void checkNotAborted() throws SQLException {
        if (aborted != null) {
            throw aborted.operationRefusal();
        }
    }

    /**
     * Runs one statement inside the transaction (beginning it if needed).
     *
     * @param write whether the statement changes data (a transaction with writes commits through the log)
     * @return what the application sees: a {@link org.lockstepdb.protocol.QueryResult} or a {@link WriteResult}
     *         with one statement result
     * @throws SQLException the statement's own error (recorded: the transaction goes on, as in H2), or a refusal
     */
    Reply statement(SqlStatement statement, boolean write, long timeoutMillis) throws SQLException {
        Reply result = run(TxOp.statement(statement), write, timeoutMillis);
        if (result instanceof ErrorReply error) {
            throw ServerErrorTranslation.toException(error);
        }
        return result;
    }

    Savepoint setSavepoint(String name) throws SQLException {
        checkNotAborted();
        if (name != null && name.isEmpty()) {
            throw new SQLException("A savepoint name must not be empty", "3B001");
        }
        int id = name == null ? ++nextSavepointId : 0;
        String scriptName = name != null ? name : LockstepSavepoint.unnamedName(id);
        failOnError(run(TxOp.savepoint(scriptName), false, 0));
        // made after the run: a first operation may have moved the transaction to another home (a new Open)
        return name == null ? LockstepSavepoint.unnamed(id, open) : LockstepSavepoint.named(name, open);
    }

    void rollback(Savepoint savepoint) throws SQLException {
        checkNotAborted();
        failOnError(run(TxOp.rollbackTo(ownSavepoint(savepoint).scriptName()), false, 0));
    }

    void release(Savepoint savepoint) throws SQLException {
        checkNotAborted();
        failOnError(run(TxOp.release(ownSavepoint(savepoint).scriptName()), false, 0));
    }

    private LockstepSavepoint ownSavepoint(Savepoint savepoint) throws SQLException {
        if (!(savepoint instanceof LockstepSavepoint sp) || open == null || sp.transaction != open) {
            throw new SQLException("Savepoint " + savepoint + " does not belong to the open transaction", "3B001");
        }
        return sp;
    }

    private static void failOnError(Reply result) throws SQLException {
        if (result instanceof ErrorReply error) {
            throw ServerErrorTranslation.toException(error);
        }
    }

    /**
     * Commits the open transaction, if any; the transaction is over whatever happens. With writes: one log entry
     * through the leader (retried as one call until {@code timeoutMs}). Without: nothing if every operation ran at
     * one applied index, else the whole script runs once more on the home replica at one state and must show the
     * same outcomes (no log entry).
     *
     * @throws SQLException 40001 (an outcome changed: nothing applied, run the transaction again), 08006 (no leader
     *         acknowledged the commit in time: it may or may not have been applied), 25P03 (idle too long); or, if
     *         the transaction was aborted by an earlier error, that error's SQLState (40001, 08xxx, 25P03) with
     *         nothing applied (the attempt ends the aborted state, as any failed commit ends the transaction)
     */
    void commit(int queryTimeoutSeconds) throws SQLException {
        if (aborted != null) {
            Aborted a = aborted;
            aborted = null;
            throw a.commitRefusal();
        }
        if (open == null) {
            return;
        }
        Open tx = open;
        checkIdle(tx);
        open = null;
        if (tx.writes) {
            WriteResult r = channel.commit(new TxCommitRequest(tx.id, tx.stampMillis, tx.steps, tx.session),
                    RequestDeadline.budgetMillis(url.timeoutMillis(), queryTimeoutSeconds));
            requests.wrote(r.logIndex());
        } else if (!tx.oneIndex) {
            validateReads(tx);
        }
    }

    /** A read-only transaction whose reads saw several states: all of them must hold at one state. */
    private void validateReads(Open tx) throws SQLException {
        int last = tx.steps.size() - 1;
        TxStep lastStep = tx.steps.get(last);
        TxStatementResult again = channel.transactionStatement(new TxStatementRequest(tx.id, tx.stampMillis,
                tx.steps.subList(0, last), lastStep.op(), 0, tx.session), tx.home);
        if (!again.outcome().equals(lastStep.outcome())) {
            throw new SQLTransactionRollbackException("Serialization failure: operation " + (last + 1) + " of the "
                    + "read-only transaction (" + lastStep.op().describe() + ") showed " + lastStep.outcome().describe()
                    + " but now shows " + again.outcome().describe() + "; run the transaction again", "40001");
        }
    }

    /** Forgets the open (or aborted) transaction: nothing of it was applied anywhere. */
    void rollback() {
        open = null;
        aborted = null;
    }

    private void ensureBegun() throws SQLException {
        checkNotAborted();
        if (open != null) {
            Open tx = open;
            try {
                checkIdle(tx);
            } catch (SQLException idle) {
                abort(tx, idle);
                throw idle;
            }
            return;
        }
        open = new Open(new TxId(clientId, ++nextSequence), channel.transactionHome(), session.get(),
                nanoClock.getAsLong());
    }

    private void checkIdle(Open tx) throws SQLException {
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - tx.lastUsedNanos);
        if (idleMillis > url.txIdleTimeoutMillis()) {
            open = null;
            throw new SQLTransactionRollbackException("The transaction was idle for " + idleMillis + " ms (more than "
                    + "txIdleTimeoutMs=" + url.txIdleTimeoutMillis() + ") and was rolled back; nothing of it was "
                    + "applied: run it again", IDLE_TIMEOUT);
        }
    }

    /** Runs one operation on the home replica and records it; returns its result (an ErrorReply is not thrown). */
    private Reply run(TxOp op, boolean write, long timeoutMillis) throws SQLException {
        ensureBegun();
        Open tx = open;
        TxStatementResult result;
        try {
            result = firstOrNext(tx, new TxStatementRequest(tx.id, tx.stampMillis, tx.steps, op, timeoutMillis,
                    tx.session));
        } catch (SQLException e) {
            if (endsTransaction(e)) {
                abort(open, e);
                open = null;
            } else {
                open.lastUsedNanos = nanoClock.getAsLong();
            }
            throw e;
        }
        tx = open; // the first operation may have moved the transaction to another home
        tx.stampMillis = result.stampMillis();
        if (tx.firstIndex < 0) {
            tx.firstIndex = result.appliedIndex();
        } else if (result.appliedIndex() != tx.firstIndex) {
            tx.oneIndex = false;
        }
        tx.writes |= write;
        tx.steps.add(new TxStep(op, result.outcome()));
        tx.lastUsedNanos = nanoClock.getAsLong();
        return result.result();
    }

    /**
     * Sends an operation to the transaction's home. The first operation may move to another replica when the
     * chosen one cannot serve it (down, or just restarted and not yet knowing the leader): nothing ran anywhere
     * yet. A later one fails with the home (the caller ends the transaction).
     */
    private TxStatementResult firstOrNext(Open tx, TxStatementRequest request) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return channel.transactionStatement(request, tx.home);
            } catch (SQLException e) {
                if (!tx.steps.isEmpty() || attempt >= FIRST_OPERATION_HOMES || !isConnectionFailure(e)) {
                    throw e;
                }
                Open moved = new Open(tx.id, channel.transactionHome(), tx.session, tx.lastUsedNanos);
                if (moved.home.equals(tx.home)) {
                    throw e;
                }
                open = moved;
                tx = moved;
            }
        }
    }

    /**
     * Marks the transaction aborted by {@code cause} if it had run operations (their effects are gone; a first
     * operation that failed leaves nothing behind to lose, and the next one simply begins the transaction).
     */
    private void abort(Open tx, SQLException cause) {
        if (!tx.steps.isEmpty()) {
            aborted = new Aborted(cause.getSQLState(), cause.getErrorCode(), cause.getMessage());
        }
    }

    private static boolean isConnectionFailure(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /** A lost home replica or a script that no longer replays alike: the transaction cannot go on. */
    private static boolean endsTransaction(SQLException e) {
        String state = e.getSQLState();
        return state != null && (isConnectionFailure(e) || state.equals("40001"));
    }
}
