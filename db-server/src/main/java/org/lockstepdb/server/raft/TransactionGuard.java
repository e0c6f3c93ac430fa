package org.lockstepdb.server.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lockstepdb.guard.GuardResult;
import org.lockstepdb.guard.StatementGuard;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.MessageCodec;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.SessionValues;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.TxCommitRequest;
import org.lockstepdb.protocol.TxOp;
import org.lockstepdb.protocol.TxOutcome;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.TxStatementResult;
import org.lockstepdb.protocol.TxStep;
import org.lockstepdb.protocol.sql.SqlRefusal;

/**
 * Runs every operation of an interactive transaction through the determinism guard with the transaction's own
 * stamp ({@link StatementGuard#checkInTransaction}): before a speculation on the home replica (the script so far
 * and the new operation: a client is never trusted to send only what it was told earlier) and before the commit
 * enters the log (the leader checks the whole script again). The stamp is never replaced: the speculation and
 * every replica's commit must compute the same time values, or the outcomes the client saw would not recur.
 * One refused operation refuses the request; a refused commit never reaches the log.
 *
 * <p>The connection's session values ride along as for plain writes: the session functions become literals of
 * its user and schema (in the speculation and again, identically, at the commit), a reserved current schema is
 * refused (42L05), and the logged commit keeps only the schema, in which every replica runs the script. A
 * {@link TxOp.Kind#SET_SCHEMA} operation that succeeded (its recorded outcome) moves the operations after it to
 * its schema, here as on every replica, so each statement's {@code CURRENT_SCHEMA} is the one it runs in; one
 * that claims to have switched to a reserved or impossible schema is refused (the replay would refuse it too).
 */
final class TransactionGuard {
    /** A request after the guard: the rewritten request, or why it is refused. */
    record Guarded<R>(R request, ErrorReply rejection) {
    }

    private final StatementGuard guard;
    private final WriteAdmission admission;

    TransactionGuard(StatementGuard guard, WriteAdmission admission) {
        this.guard = guard;
        this.admission = admission;
    }

    /**
     * The speculation request to run: stamped with {@code nowMillis} if it is the transaction's first (stamp 0),
     * every operation rewritten for that stamp; or a refusal (54000 over the request limit or with more than
     * {@link WriteAdmission#MAX_EXECUTIONS_PER_ENTRY} executions: the commit would be refused, so the statement
     * that crosses the bound is; a guard SQLState).
     */
    Guarded<TxStatementRequest> speculation(TxStatementRequest request, int encodedBytes, long nowMillis) {
        Optional<ErrorReply> tooLarge = admission.checkTransactionSize(encodedBytes, true)
                .or(() -> WriteAdmission.checkTransactionExecutions(executions(request.done(), request.next()), true));
        if (tooLarge.isPresent()) {
            return new Guarded<>(null, tooLarge.get());
        }
        SessionValues session = request.session();
        if (session.reservedForWrites()) {
            return new Guarded<>(null, session.reservedSchemaRefusal());
        }
        long stamp = request.stampMillis() > 0 ? request.stampMillis() : nowMillis;
        GuardedSteps guarded = guardSteps(request.done(), stamp, session, request.done().size() + 1);
        if (guarded.rejection() != null) {
            return new Guarded<>(null, guarded.rejection());
        }
        List<TxStep> done = guarded.steps();
        SessionValues current = guarded.session();
        Guarded<TxOp> next = op(request.next(), stamp, current, request.done().size(), request.done().size() + 1);
        if (next.rejection() != null) {
            return new Guarded<>(null, next.rejection());
        }
        return new Guarded<>(new TxStatementRequest(request.txId(), stamp, done, next.request(),
                request.timeoutMillis(), session.withoutUser()), null);
    }

    /**
     * The speculation's reply as the client may record it: refused with 54000 (not recorded: the transaction stays
     * open without the statement) if the commit carrying the script, this operation and its outcome would exceed
     * the request limit, so that the limit strikes at the statement that crosses it rather than at the commit.
     *
     * @param request the client's request as it arrived (the commit carries the client's operations, not the
     *                rewritten ones)
     */
    Reply afterSpeculation(TxStatementRequest request, Reply reply) {
        if (!(reply instanceof TxStatementResult result)) {
            return reply;
        }
        List<TxStep> steps = new ArrayList<>(request.done().size() + 1);
        steps.addAll(request.done());
        steps.add(new TxStep(request.next(), result.outcome()));
        int commitBytes = MessageCodec.encode(new TxCommitRequest(request.txId(), result.stampMillis(), steps,
                request.session())).length;
        Optional<ErrorReply> tooLarge = admission.checkTransactionSize(commitBytes, true);
        return tooLarge.isPresent() ? tooLarge.get() : reply;
    }

    private static long executions(List<TxStep> done, TxOp next) {
        long executions = next.kind() == TxOp.Kind.STATEMENT ? next.statement().executions() : 0;
        for (TxStep step : done) {
            if (step.op().kind() == TxOp.Kind.STATEMENT) {
                executions += step.op().statement().executions();
            }
        }
        return executions;
    }

    /**
     * The commit entry to log, its operations rewritten for the transaction's stamp; or a refusal (54000 over the
     * request limit or with more than {@link WriteAdmission#MAX_EXECUTIONS_PER_ENTRY} executions — the backstop of
     * the statements' checks, for clients that did not make them; 22023 empty; a guard SQLState).
     */
    Guarded<TxCommitRequest> commit(TxCommitRequest commit, int encodedBytes) {
        Optional<ErrorReply> tooLarge = admission.checkTransactionSize(encodedBytes, false);
        if (tooLarge.isPresent()) {
            return new Guarded<>(null, tooLarge.get());
        }
        if (commit.session().reservedForWrites()) {
            return new Guarded<>(null, commit.session().reservedSchemaRefusal());
        }
        if (commit.steps().isEmpty()) {
            return new Guarded<>(null, ServerErrors.invalid("a transaction commit must contain at least one operation"));
        }
        GuardedSteps guarded = guardSteps(commit.steps(), commit.stampMillis(), commit.session(), commit.steps().size());
        if (guarded.rejection() != null) {
            return new Guarded<>(null, guarded.rejection());
        }
        List<TxStep> steps = guarded.steps();
        Optional<ErrorReply> tooMany = WriteAdmission.checkTransactionExecutions(
                executions(commit.steps().subList(0, commit.steps().size() - 1), commit.steps().get(commit.steps().size() - 1).op()), false);
        if (tooMany.isPresent()) {
            return new Guarded<>(null, tooMany.get());
        }
        // the user is spliced into the statements now; the schema stays: every replica runs the script in it
        return new Guarded<>(new TxCommitRequest(commit.txId(), commit.stampMillis(), steps,
                commit.session().withoutUser()), null);
    }

    /**
     * The session the operations after {@code step} run in: {@code session} switched to the schema of a
     * {@link TxOp.Kind#SET_SCHEMA} whose recorded outcome is success (a failed switch changes nothing, as in H2);
     * a claimed switch to a reserved schema (42L05) or an over-long name (90079) is refused.
     */
    private static Guarded<SessionValues> after(SessionValues session, TxStep step) {
        if (step.op().kind() != TxOp.Kind.SET_SCHEMA || !step.outcome().equals(TxOutcome.DONE)) {
            return new Guarded<>(session, null);
        }
        String schema = step.op().name();
        if (schema.length() > SessionValues.MAX_NAME_LENGTH) {
            return new Guarded<>(null, new ErrorReply("90079", 90079, "Schema name longer than "
                    + SessionValues.MAX_NAME_LENGTH + " characters not found"));
        }
        SessionValues switched = new SessionValues(session.user(), schema);
        return switched.reservedForWrites() ? new Guarded<>(null, switched.reservedSchemaRefusal())
                : new Guarded<>(switched, null);
    }

    /** A script's steps guarded in order, and the session they leave (schema switches followed); or a rejection. */
    private record GuardedSteps(List<TxStep> steps, SessionValues session, ErrorReply rejection) {
    }

    /**
     * Guards each step of a script in order, each in the session the steps before it left (its schema switches).
     *
     * @param count the number of operations of the whole transaction, for the rejection's "operation i of n"
     */
    private GuardedSteps guardSteps(List<TxStep> script, long stamp, SessionValues session, int count) {
        List<TxStep> guarded = new ArrayList<>(script.size());
        SessionValues current = session;
        for (int i = 0; i < script.size(); i++) {
            TxStep step = script.get(i);
            Guarded<TxOp> op = op(step.op(), stamp, current, i, count);
            if (op.rejection() != null) {
                return new GuardedSteps(null, null, op.rejection());
            }
            Guarded<SessionValues> after = after(current, step);
            if (after.rejection() != null) {
                return new GuardedSteps(null, null, after.rejection());
            }
            current = after.request();
            guarded.add(new TxStep(op.request(), step.outcome()));
        }
        return new GuardedSteps(guarded, current, null);
    }

    private Guarded<TxOp> op(TxOp op, long stamp, SessionValues session, int ordinal, int count) {
        if (op.kind() != TxOp.Kind.STATEMENT) {
            return new Guarded<>(op, null);
        }
        SqlStatement s = op.statement();
        GuardResult verdict = guard.checkInTransaction(s.sql(), stamp, session);
        if (!verdict.accepted()) {
            ErrorReply r = verdict.rejection();
            String where = count > 1 ? " (operation " + (ordinal + 1) + " of the transaction)" : "";
            String message = SqlRefusal.TRANSACTION_CONTROL.equals(r.sqlState())
                    ? SqlRefusal.transactionControlInTransaction(r.message()) : r.message();
            return new Guarded<>(null, new ErrorReply(r.sqlState(), r.vendorCode(), message + where));
        }
        return new Guarded<>(verdict.sql().equals(s.sql()) ? op
                : TxOp.statement(new SqlStatement(verdict.sql(), s.parameterSets(), s.generatedKeys())), null);
    }
}
