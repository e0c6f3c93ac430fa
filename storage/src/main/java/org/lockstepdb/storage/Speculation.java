package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.h2.api.ErrorCode;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.TxStatementResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an interactive transaction's next operation speculatively on this replica: on one pooled session
 * ({@link H2Sessions#openTransactionSession}) it begins an H2 transaction, replays the script so far (an
 * operation whose outcome differs from the recorded one answers 40001 at once), runs the new operation, rolls
 * back and restores what the rollback leaves ({@link SpeculationGuard}), so the replica is as if it never ran.
 *
 * <p>Runs only under the apply lock and on the apply thread ({@link SqlStore#speculate}): no log entry is applied,
 * no pin taken and no database swapped while the speculative transaction is open, whose row locks would stall
 * the apply session and whose uncommitted rows would change H2's row-count estimates, and so plans and row
 * orders, of an entry applied meanwhile.
 *
 * <p>So a run stalls this replica's apply path, and every replica later re-runs the whole script in its apply path
 * at the commit, with no timer (it must be deterministic). The replay budget ({@link
 * StoreOptions#txReplayBudgetMillis}) bounds both: each statement runs at most that long, and a new operation whose
 * run (the script replayed plus itself) took longer is refused with 54000 and not recorded, so every script that
 * reaches a commit re-ran within the budget on its home replica.
 */
final class Speculation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Speculation.class);

    private final H2Sessions sessions;
    private final StoreOptions options;
    private final LongSupplier clock;
    private Connection session; // opened on first use; only under the apply lock
    private long queryTimeoutMillis = -1;

    /** @param clock the replica's clock (epoch ms), stamps a transaction's first request */
    Speculation(H2Sessions sessions, StoreOptions options, LongSupplier clock) {
        this.sessions = sessions;
        this.options = options;
        this.clock = clock;
    }

    /**
     * @param appliedIndex the applied index of the state it runs on
     * @return a {@link TxStatementResult}, or an {@link ErrorReply}: 40001 (a replayed operation differs), 54000
     *         (the query's rows exceed the store's result limit, or the run exceeded the replay budget; not
     *         recorded), 57014 (cancelled by the query time limit, when shorter than the budget), or a failure of
     *         this replica's session
     * @throws IllegalStateException if the speculative transaction could not be undone: the replica's state is
     *                               unknown, the caller must stop it
     */
    Reply run(TxStatementRequest request, long appliedIndex) {
        Connection c;
        SpeculationGuard guard;
        try {
            c = session();
            setQueryTimeout(c, options.speculationTimeoutMillis(request.timeoutMillis()));
            guard = SpeculationGuard.capture(c);
        } catch (SQLException e) {
            discardSession();
            return H2ErrorClassifier.toReply(e);
        }
        boolean broken = false;
        long startNanos = System.nanoTime();
        try {
            return speculate(c, request, appliedIndex, startNanos);
        } catch (SQLException e) {
            if (e.getErrorCode() == ErrorCode.STATEMENT_WAS_CANCELED && isBudgetTheLimit(request)) {
                return overBudget(startNanos);
            }
            if (e.getErrorCode() == ErrorCode.STATEMENT_WAS_CANCELED) {
                return new ErrorReply(StoreSqlStates.QUERY_CANCELED, e.getErrorCode(), "the transaction's statements "
                        + "were cancelled after their time limit of " + queryTimeoutMillis + " ms");
            }
            LOG.warn("speculative run of transaction {} failed on this replica", request.txId(), e);
            broken = true;
            return H2ErrorClassifier.toReply(e);
        } catch (RuntimeException e) {
            LOG.warn("speculative run of transaction {} failed unexpectedly", request.txId(), e);
            return new ErrorReply(StoreSqlStates.INTERNAL_ERROR, 0, "internal error running the transaction: " + e);
        } finally {
            undo(c, guard);
            if (broken) {
                discardSession(); // it may be unusable; the next run opens a fresh one
            }
        }
    }

    /** Whether a cancelled statement hit the replay budget rather than a (shorter) query time limit. */
    private boolean isBudgetTheLimit(TxStatementRequest request) {
        long budget = options.txReplayBudgetMillis();
        return budget > 0 && options.speculationTimeoutMillis(request.timeoutMillis()) == budget;
    }

    /** The refusal of an operation whose run took longer than the replay budget (the transaction stays open). */
    private ErrorReply overBudget(long startNanos) {
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return new ErrorReply(StoreSqlStates.TOO_LARGE, 0, "The transaction takes " + tookMillis + " ms to re-run "
                + "on a replica, over the budget of " + options.txReplayBudgetMillis() + " ms set by the server's "
                + "--tx-replay-budget-ms (every replica re-runs it in its apply path at the commit); the statement "
                + "is not part of the transaction. Commit what you have or split the work into smaller "
                + "transactions; run long reports in auto-commit mode");
    }

    private Reply speculate(Connection c, TxStatementRequest request, long appliedIndex, long startNanos)
            throws SQLException {
        Optional<ErrorReply> refused = SessionSchema.enter(c, request.session());
        if (refused.isPresent()) {
            return refused.get(); // what the commit would answer too
        }
        try {
            Reply reply = speculateInSchema(c, request, appliedIndex);
            long budget = options.txReplayBudgetMillis();
            if (reply instanceof TxStatementResult && budget > 0
                    && System.nanoTime() - startNanos > TimeUnit.MILLISECONDS.toNanos(budget)) {
                return overBudget(startNanos);
            }
            return reply;
        } finally {
            SessionSchema.reset(c); // the script may have switched schema
        }
    }

    private Reply speculateInSchema(Connection c, TxStatementRequest request, long appliedIndex) throws SQLException {
        long stamp = request.stampMillis() > 0 ? request.stampMillis() : clock.getAsLong();
        TransactionReplay replay = new TransactionReplay(c, request.txId(), stamp, appliedIndex);
        Optional<TransactionReplay.Mismatch> mismatch = replay.replay(request.done());
        if (mismatch.isPresent()) {
            return mismatch.get().toReply("now (at applied index " + appliedIndex + ")");
        }
        try {
            TransactionReplay.OpResult r = replay.runKeepingRows(request.done().size(), request.next(),
                    options.maxResultBytes());
            return new TxStatementResult(stamp, appliedIndex, r.result(), r.outcome());
        } catch (ResultTooLargeException e) {
            return new ErrorReply(StoreSqlStates.TOO_LARGE, 0, "The query result is larger than the limit of "
                    + options.maxResultBytes() + " bytes; the statement is not part of the transaction. Add a WHERE "
                    + "clause or a LIMIT");
        }
    }

    /** Rolls back (or, failing that, closes the session, which rolls back) and restores the captured state. */
    private void undo(Connection c, SpeculationGuard guard) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.warn("rolling back a speculative transaction failed; closing its session", e);
            try {
                c.close();
            } catch (SQLException closeFailed) {
                throw new IllegalStateException("a speculative transaction could neither be rolled back nor its "
                        + "session closed", closeFailed);
            } finally {
                session = null;
            }
        } finally {
            DeterministicFunctions.clear();
        }
        try {
            guard.restore();
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("restoring sequences and row keys after a speculative transaction failed", e);
        }
    }

    private Connection session() throws SQLException {
        if (session == null) {
            session = sessions.openTransactionSession();
            queryTimeoutMillis = -1;
        }
        return session;
    }

    private void setQueryTimeout(Connection c, long millis) throws SQLException {
        if (millis != queryTimeoutMillis) {
            try (Statement s = c.createStatement()) {
                s.execute("SET QUERY_TIMEOUT " + millis); // a session setting: neither commits nor begins
            }
            queryTimeoutMillis = millis;
        }
    }

    private void discardSession() {
        H2Sessions.closeQuietly(session);
        session = null;
    }

    /** Closes the session (the store closes, or a restore swaps the database); a later run opens a new one. */
    @Override
    public void close() {
        discardSession();
    }
}
