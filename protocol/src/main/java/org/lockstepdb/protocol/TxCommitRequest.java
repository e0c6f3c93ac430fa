package org.lockstepdb.protocol;

import java.util.List;
import java.util.Objects;

/**
 * Commits an interactive transaction: the whole script with the outcomes the application saw, as ONE log
 * entry. Every replica re-runs it at the entry's log position in one H2 transaction and commits only if every
 * operation shows its recorded outcome again; otherwise it changes nothing and answers SQLState 40001 naming
 * the first operation that differed. Success is an empty {@link WriteResult}.
 *
 * @param stampMillis the transaction's stamp (from its first {@link TxStatementResult}); pins its time functions
 * @param session     the connection's user and schema, as for a {@link WriteRequest}: the leader splices the user
 *                    into the statements and keeps only the schema in the entry, in which every replica runs the
 *                    script (unqualified names resolve there)
 */
public record TxCommitRequest(TxId txId, long stampMillis, List<TxStep> steps, SessionValues session)
        implements Request {
    public TxCommitRequest {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(session, "session (SessionValues.DEFAULT for none)");
        steps = List.copyOf(steps);
        if (stampMillis <= 0) {
            throw new IllegalArgumentException("a commit carries its transaction's stamp");
        }
    }

    /** A commit with the default session (no user, schema PUBLIC). */
    public TxCommitRequest(TxId txId, long stampMillis, List<TxStep> steps) {
        this(txId, stampMillis, steps, SessionValues.DEFAULT);
    }
}
