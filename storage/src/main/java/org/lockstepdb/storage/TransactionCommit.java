package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.TxCommitRequest;
import org.lockstepdb.protocol.WriteResult;

/**
 * Validates an interactive transaction's commit entry inside the apply transaction: re-runs its script on the
 * apply session ({@link TransactionReplay}) and keeps the writes only if every operation gives the outcome the
 * application saw. Deterministic: it reads only the entry and the state at its log index.
 *
 * <p>A commit that does not match is rolled back and what the rollback leaves (sequence and identity values,
 * row keys its statements drew) is restored ({@link SpeculationGuard}), so a rejected transaction changes nothing
 * on any replica. Runs on the apply thread under the apply lock.
 */
final class TransactionCommit {
    private TransactionCommit() {
    }

    /**
     * Applies a commit entry not applied before, on the apply thread ({@code deepStack}) under the apply lock, and
     * commits it with the applied index and the record of {@code call}.
     *
     * @return an empty {@link WriteResult}, or the 40001 {@link ErrorReply} (recorded as the entry's reply)
     * @throws StoreFailureException for failures of this replica
     */
    static Reply apply(ApplySession writer, DeepStackThread deepStack, long term, long index, TxCommitRequest commit,
                       ClientCall call) {
        Connection session = writer.connection();
        try {
            Optional<ErrorReply> rejected = deepStack.call(() -> validate(session, index, commit));
            if (rejected.isPresent()) {
                writer.recordRejected(term, index, call, rejected.get());
                return rejected.get();
            }
            WriteResult result = new WriteResult(index, List.of());
            writer.commitApplied(term, index, call, result);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            throw writer.fail("applying the transaction commit in log entry " + index + " failed on this replica", e);
        }
    }

    /**
     * Runs the script in the connection's schema ({@link TxCommitRequest#session()}).
     *
     * @return empty if every outcome matched (the writes are in the apply session's open transaction: the caller
     *         commits them with the applied index); else the 40001 reply, after rolling back and restoring; 90079
     *         if the schema no longer exists, 42L05 if it is reserved (nothing ran)
     * @throws SQLException failures of this replica only (statement errors are outcomes): the caller stops it
     */
    static Optional<ErrorReply> validate(Connection applySession, long index, TxCommitRequest commit) throws SQLException {
        Optional<ErrorReply> refused = SessionSchema.enter(applySession, commit.session());
        if (refused.isPresent()) {
            return refused;
        }
        try {
            return validateInSchema(applySession, index, commit);
        } finally {
            SessionSchema.reset(applySession); // the script may have switched schema
        }
    }

    private static Optional<ErrorReply> validateInSchema(Connection applySession, long index, TxCommitRequest commit)
            throws SQLException {
        SpeculationGuard guard = SpeculationGuard.capture(applySession);
        try {
            TransactionReplay replay = new TransactionReplay(applySession, commit.txId(), commit.stampMillis(), index);
            Optional<TransactionReplay.Mismatch> mismatch = replay.replay(commit.steps());
            if (mismatch.isEmpty()) {
                return Optional.empty();
            }
            applySession.rollback();
            guard.restore();
            return Optional.of(mismatch.get().toReply("at its commit (log index " + index + ")"));
        } finally {
            DeterministicFunctions.clear();
        }
    }
}
