package org.lockstepdb.protocol;

import java.util.Objects;

/**
 * What the speculative run of a transaction's next operation gave.
 *
 * @param stampMillis  the transaction's stamp (the request's, or the one the replica gave a first request)
 * @param appliedIndex the applied log index the whole script ran at (one consistent state)
 * @param result       what the application sees: a {@link QueryResult} (rows), a {@link WriteResult} with one
 *                     {@link StatementResult} (counts, generated keys; empty for a savepoint operation), or the
 *                     {@link ErrorReply} of the statement's error (the transaction goes on, as in H2)
 * @param outcome      what the driver records for the commit to compare
 */
public record TxStatementResult(long stampMillis, long appliedIndex, Reply result, TxOutcome outcome) implements Reply {
    public TxStatementResult {
        Objects.requireNonNull(outcome, "outcome");
        if (!(result instanceof QueryResult || result instanceof WriteResult || result instanceof ErrorReply)) {
            throw new IllegalArgumentException("a statement result is rows, counts or an error, not " + result);
        }
    }
}
