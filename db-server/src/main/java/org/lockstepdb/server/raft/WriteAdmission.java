package org.lockstepdb.server.raft;

import java.util.Optional;

import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.WriteRequest;

/**
 * The leader's first checks on a write before it may enter the log: size limits and shape. Statement kinds
 * (a query is no write, DDL goes alone) are decided after, on the determinism guard's one classification of each
 * statement ({@link WriteRewriter}). Anything refused here never reaches any replica.
 */
final class WriteAdmission {
    /** A bound on the work in one entry, so one request cannot hold the apply thread for minutes. */
    static final int MAX_EXECUTIONS_PER_ENTRY = 100_000;

    private final int maxRequestBytes;

    WriteAdmission(int maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    Optional<ErrorReply> checkSize(int encodedBytes) {
        return encodedBytes > maxRequestBytes ? Optional.of(ServerErrors.tooLarge(encodedBytes, maxRequestBytes))
                : Optional.empty();
    }

    /** The request limit for an interactive transaction's commit (54000 in a transaction's own words). */
    Optional<ErrorReply> checkTransactionSize(int commitBytes, boolean atStatement) {
        return commitBytes > maxRequestBytes
                ? Optional.of(ServerErrors.transactionTooLarge(commitBytes, maxRequestBytes, atStatement))
                : Optional.empty();
    }

    /** The bound on a transaction's statement executions (54000), {@link #MAX_EXECUTIONS_PER_ENTRY} as for a write. */
    static Optional<ErrorReply> checkTransactionExecutions(long executions, boolean atStatement) {
        return executions > MAX_EXECUTIONS_PER_ENTRY
                ? Optional.of(ServerErrors.transactionTooManyExecutions(executions, MAX_EXECUTIONS_PER_ENTRY, atStatement))
                : Optional.empty();
    }

    Optional<ErrorReply> check(WriteRequest write, int encodedBytes) {
        Optional<ErrorReply> tooLarge = checkSize(encodedBytes);
        if (tooLarge.isPresent()) {
            return tooLarge;
        }
        if (write.statements().isEmpty()) {
            return Optional.of(ServerErrors.invalid("a write must contain at least one statement"));
        }
        long executions = 0;
        for (SqlStatement s : write.statements()) {
            executions += s.executions();
        }
        if (executions > MAX_EXECUTIONS_PER_ENTRY) {
            return Optional.of(ServerErrors.invalid("a write may run at most " + MAX_EXECUTIONS_PER_ENTRY
                    + " statement executions, this one has " + executions + "; split it"));
        }
        return Optional.empty();
    }
}
