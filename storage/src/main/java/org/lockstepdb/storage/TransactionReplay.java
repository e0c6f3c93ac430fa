package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.h2.api.ErrorCode;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.OutcomeDigest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.SessionValues;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.TxId;
import org.lockstepdb.protocol.TxOp;
import org.lockstepdb.protocol.TxOutcome;
import org.lockstepdb.protocol.TxStep;
import org.lockstepdb.protocol.WriteResult;
import org.lockstepdb.protocol.sql.Classification;
import org.lockstepdb.protocol.sql.SqlKind;
import org.lockstepdb.protocol.sql.StatementClassifier;

/**
 * Runs the operations of one interactive transaction's script in one H2 transaction on a given session and
 * computes each operation's {@link TxOutcome}. The one code path of both uses: the speculative run on the
 * transaction's home replica ({@link Speculation}) and the validation of its commit on every replica
 * ({@link TransactionCommit}), so an outcome differs between them only if the data did.
 *
 * <p>The caller owns the transaction (begins it with a fresh one, rolls back or commits); this class never
 * commits. Deterministic: the session's clock is pinned to the transaction's stamp before every operation
 * ({@link SessionClock}), RAND()/UUID() are keyed by the transaction id and the operation's ordinal
 * ({@link DeterministicFunctions#seedTransaction}), and a statement's error is an outcome, not a failure: H2
 * rolls back only that statement and the script goes on, as in an embedded H2 transaction.
 *
 * <p>Refused without running (an {@link TxOutcome.Error} outcome): statements H2 runs outside the transaction
 * or that end it (DDL, TRUNCATE, SET, COMMIT…: SQLState 25001), session variables and a query's NEXT VALUE FOR
 * (25001, see {@link #sessionEffect}), what the one classifier refuses (several statements in one text,
 * forms it does not know: its SQLState, as the server's guard answers), and what the replica's write checks
 * refuse ({@link WriteGuard#checkText}, view depth).
 *
 * <p>A schema switch ({@link TxOp.Kind#SET_SCHEMA}) is the session's {@code setSchema}, as in embedded H2, so it
 * may leave the session in another schema: the caller resets it ({@link SessionSchema#reset}).
 */
final class TransactionReplay {
    /**
     * What one operation gave.
     *
     * @param result  for the application: a {@link QueryResult}, a {@link WriteResult} with one statement result,
     *                or an {@link ErrorReply}; null for a query run without keeping its rows
     * @param outcome what the commit compares
     */
    record OpResult(Reply result, TxOutcome outcome) {
    }

    /** The first operation of a replayed script whose outcome differs from the recorded one. */
    record Mismatch(int ordinal, TxOp op, TxOutcome recorded, TxOutcome now) {
        /** The 40001 answer; {@code where} says at which state ("at log index 17"). */
        ErrorReply toReply(String where) {
            return new ErrorReply(StoreSqlStates.SERIALIZATION_FAILURE, 0, "serialization failure: operation "
                    + (ordinal + 1) + " of the transaction (" + op.describe() + ") gave " + recorded.describe()
                    + " when it ran, but " + now.describe() + " " + where + ": a write committed since changed what "
                    + "the transaction read. Nothing of the transaction was applied; roll back and retry it");
        }
    }

    private final Connection connection;
    private final TxId tx;
    private final long stampMillis;
    private final long appliedIndex;
    /** Savepoints in the order set; a rollback to one or its release forgets the later ones (as SQL does). */
    private final LinkedHashMap<String, Savepoint> savepoints = new LinkedHashMap<>();

    /**
     * @param connection   a session in a fresh transaction (auto-commit off), with the apply session's settings
     * @param appliedIndex the applied index the state it runs on holds (put into the results)
     */
    TransactionReplay(Connection connection, TxId tx, long stampMillis, long appliedIndex) {
        this.connection = connection;
        this.tx = tx;
        this.stampMillis = stampMillis;
        this.appliedIndex = appliedIndex;
    }

    /**
     * Runs {@code steps} in order and compares each outcome with the recorded one; stops at the first that
     * differs (what ran stays in the transaction: the caller rolls back).
     *
     * @throws SQLException only failures of this replica ({@link H2ErrorClassifier#isReplicaFailure}) or a
     *                      statement cancelled by the session's query timeout
     */
    Optional<Mismatch> replay(List<TxStep> steps) throws SQLException {
        for (int i = 0; i < steps.size(); i++) {
            TxStep step = steps.get(i);
            TxOutcome now = run(i, step.op());
            if (!now.equals(step.outcome())) {
                return Optional.of(new Mismatch(i, step.op(), step.outcome(), now));
            }
        }
        return Optional.empty();
    }

    /** Runs one operation keeping only its outcome (a query's rows are digested as they are read, not kept). */
    TxOutcome run(int ordinal, TxOp op) throws SQLException {
        try {
            return run(ordinal, op, 0, false).outcome();
        } catch (ResultTooLargeException e) {
            throw new IllegalStateException("no limit applies without keeping rows", e);
        }
    }

    /**
     * Runs one operation for the application: a query's rows are kept, up to {@code maxResultBytes}.
     *
     * @throws ResultTooLargeException if the query's rows exceed {@code maxResultBytes} (nothing is recorded)
     * @throws SQLException            as {@link #replay}
     */
    OpResult runKeepingRows(int ordinal, TxOp op, long maxResultBytes) throws SQLException, ResultTooLargeException {
        return run(ordinal, op, maxResultBytes, true);
    }

    private OpResult run(int ordinal, TxOp op, long maxResultBytes, boolean keepRows)
            throws SQLException, ResultTooLargeException {
        SessionClock.pin(connection, stampMillis); // again: a rollback to a savepoint resets H2's clock
        try {
            return switch (op.kind()) {
                case STATEMENT -> statement(ordinal, op.statement(), maxResultBytes, keepRows);
                case SAVEPOINT -> setSavepoint(op.name());
                case ROLLBACK_TO, RELEASE -> endSavepoint(op);
                case SET_SCHEMA -> setSchema(op.name());
            };
        } catch (SQLException e) {
            if (H2ErrorClassifier.isReplicaFailure(e, false)) {
                throw e;
            }
            return error(H2ErrorClassifier.toReply(e));
        } finally {
            DeterministicFunctions.clear();
        }
    }

    private OpResult statement(int ordinal, SqlStatement statement, long maxResultBytes, boolean keepRows)
            throws SQLException, ResultTooLargeException {
        String sql = statement.sql();
        Classification kind = StatementClassifier.classify(sql);
        if (kind.coarse() == SqlKind.DDL || kind.coarse() == SqlKind.OTHER) {
            return refused((kind.firstWord().isEmpty() ? "this statement" : kind.firstWord() + " statements")
                    + " cannot run inside a transaction: H2 runs them outside it (DDL and TRUNCATE commit, SET and "
                    + "transaction control change the session). Commit the transaction first, then run it on its own");
        }
        if (kind.refusal() != null) {
            // Several statements in one text above all: H2 would run the ones after the first too, and a DDL
            // among them would commit on this replica alone. The server's guard refuses the same texts.
            return error(new ErrorReply(kind.refusal().sqlState(), 0, kind.refusal().getMessage()));
        }
        Optional<ErrorReply> refusal = WriteGuard.checkText(sql, kind);
        if (refusal.isPresent()) {
            return error(refusal.get());
        }
        String tooDeep = ViewDepth.tooDeep(connection, SqlText.codeKeepingCase(sql, kind.lexed()));
        if (tooDeep != null) {
            return error(new ErrorReply(StoreSqlStates.TOO_COMPLEX, 0, "the statement was not run: " + tooDeep
                    + " (H2 expands views recursively)"));
        }
        PlanStatistics.forgetCachedViewPlans(connection); // as for log entries: the same plans
        try (PreparedStatement ps = EntryApplier.prepare(connection, statement, false)) {
            if (ps.getMetaData() == null) {
                String effect = sessionEffect(kind, false);
                if (effect != null) {
                    return refused(effect);
                }
                StatementResult result = EntryApplier.execute(ps, statement, false,
                        execution -> DeterministicFunctions.seedTransaction(tx, ordinal, execution));
                return new OpResult(new WriteResult(appliedIndex, List.of(result)), TxOutcome.count(result));
            }
            String effect = sessionEffect(kind, true);
            if (effect != null) {
                return refused(effect);
            }
            return query(ps, statement, ordinal, maxResultBytes, keepRows);
        }
    }

    /**
     * Why the statement may not be part of a transaction's script even though it is a query or DML, or null:
     * a session variable ({@code @v}) is state of the session that outlives the transaction (on the apply
     * session it would leak into later entries, which a restarted replica would not see), and a query's
     * {@code NEXT VALUE FOR} is a sequence advance the application expects to persist whatever the transaction
     * does (the driver sends it on its own). Not H2's read-only check: that also counts RAND() (an alias here)
     * and {@code FOR UPDATE} as side effects, which are the transaction's own.
     */
    private static String sessionEffect(Classification kind, boolean isQuery) {
        var tokens = kind.lexed().tokens();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).is("@")) {
                return "a session variable (@name) is state of the server session, not of the transaction; pass the "
                        + "value as a statement parameter";
            }
            if (isQuery && i + 2 < tokens.size() && tokens.get(i).is("NEXT") && tokens.get(i + 1).is("VALUE")
                    && tokens.get(i + 2).is("FOR")) {
                return "a query's NEXT VALUE FOR advances the sequence whether or not the transaction commits; send "
                        + "it on its own, outside the transaction's script";
            }
        }
        return null;
    }

    private OpResult query(PreparedStatement ps, SqlStatement statement, int ordinal, long maxResultBytes,
                           boolean keepRows) throws SQLException, ResultTooLargeException {
        if (statement.parameterSets().size() > 1) {
            return error(new ErrorReply(StoreSqlStates.FEATURE_NOT_SUPPORTED, 0, "a query runs with one parameter "
                    + "set, not a batch of " + statement.parameterSets().size()));
        }
        ParameterBinder.bind(ps, statement.parameterSets().isEmpty() ? List.of() : statement.parameterSets().get(0));
        DeterministicFunctions.seedTransaction(tx, ordinal, 0);
        TieBreaking.of(ps).beforeExecution(); // ties of ORDER BY … LIMIT: the same rows here and at the commit
        try (ResultSet rs = ps.executeQuery()) {
            OutcomeDigest digest = OutcomeDigest.begin(ResultSetReader.columns(rs));
            ResultData data = ResultSetReader.read(rs, maxResultBytes, Integer.MAX_VALUE, digest::addRow, keepRows);
            TxOutcome outcome = new TxOutcome.Rows(digest.finish());
            return new OpResult(keepRows ? new QueryResult(appliedIndex, data) : null, outcome);
        }
    }

    private OpResult setSavepoint(String name) throws SQLException {
        Savepoint savepoint = connection.setSavepoint(name);
        savepoints.remove(name); // a name set again is the new one, and the newest
        savepoints.put(name, savepoint);
        return done();
    }

    private OpResult endSavepoint(TxOp op) throws SQLException {
        Savepoint savepoint = savepoints.get(op.name());
        if (savepoint == null) {
            return error(new ErrorReply(String.valueOf(ErrorCode.SAVEPOINT_IS_INVALID_1),
                    ErrorCode.SAVEPOINT_IS_INVALID_1, "no savepoint " + op.name() + " in this transaction"));
        }
        if (op.kind() == TxOp.Kind.ROLLBACK_TO) {
            connection.rollback(savepoint);
        } else {
            connection.releaseSavepoint(savepoint);
        }
        boolean reached = false;
        for (var it = savepoints.keySet().iterator(); it.hasNext(); ) {
            boolean isIt = it.next().equals(op.name());
            reached |= isIt;
            if (reached && (!isIt || op.kind() == TxOp.Kind.RELEASE)) { // a rollback keeps its savepoint
                it.remove();
            }
        }
        return done();
    }

    /**
     * {@code setSchema} on the session, as embedded H2 does inside a transaction: session state, which a rollback
     * (to a savepoint) leaves as it is. A reserved schema is refused (42L05, nothing switched), a missing one is
     * H2's 90079: outcomes like a statement's, so a schema dropped before the commit is a mismatch (40001).
     * The caller puts the session back to PUBLIC afterwards ({@link SessionSchema#reset}).
     */
    private OpResult setSchema(String schema) throws SQLException {
        if (schema.length() > SessionValues.MAX_NAME_LENGTH) { // no such schema in H2 (identifiers are shorter)
            return error(new ErrorReply(String.valueOf(ErrorCode.SCHEMA_NOT_FOUND_1), ErrorCode.SCHEMA_NOT_FOUND_1,
                    "Schema name longer than " + SessionValues.MAX_NAME_LENGTH + " characters not found"));
        }
        SessionValues target = new SessionValues("", schema);
        if (target.reservedForWrites()) {
            return error(target.reservedSchemaRefusal());
        }
        connection.setSchema(schema); // H2's 90079 becomes the outcome in run()
        return done();
    }

    private OpResult done() {
        return new OpResult(new WriteResult(appliedIndex, List.of(new StatementResult(List.of(), null))), TxOutcome.DONE);
    }

    private static OpResult refused(String message) {
        return error(new ErrorReply(StoreSqlStates.NOT_IN_TRANSACTION, 0, message));
    }

    private static OpResult error(ErrorReply error) {
        return new OpResult(error, TxOutcome.error(error));
    }

    /** All savepoint names still set, oldest first (tests). */
    List<String> savepointNames() {
        return new ArrayList<>(savepoints.keySet());
    }
}
