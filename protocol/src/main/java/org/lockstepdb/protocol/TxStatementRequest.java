package org.lockstepdb.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The next operation of an open interactive transaction, sent to the transaction's home replica on the read
 * path (never the log). The replica runs it speculatively: begins an H2 transaction, replays {@code done}
 * (each must show its recorded outcome again, else the answer is 40001 at once), runs {@code next}, rolls back.
 * Answered with a {@link TxStatementResult}, or an {@link ErrorReply} (40001, or a failure of the replica).
 *
 * @param stampMillis   the transaction's stamp (epoch ms) for its time functions; 0 in the first request: the
 *                      replica stamps it and returns the stamp, which every later request and the commit carry
 * @param done          the script so far, with the outcomes the application saw
 * @param timeoutMillis the client's statement timeout; 0 = the replica's own limit
 * @param session       the connection's user and schema: session functions answer them, unqualified names
 *                      resolve in the schema (the same values the commit carries)
 */
public record TxStatementRequest(TxId txId, long stampMillis, List<TxStep> done, TxOp next, long timeoutMillis,
                                 SessionValues session) implements Request {
    public TxStatementRequest {
        Objects.requireNonNull(txId, "txId");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(session, "session (SessionValues.DEFAULT for none)");
        done = List.copyOf(done);
        if (stampMillis < 0 || timeoutMillis < 0) {
            throw new IllegalArgumentException("negative stamp or timeout");
        }
    }

    /** A request with the default session (no user, schema PUBLIC). */
    public TxStatementRequest(TxId txId, long stampMillis, List<TxStep> done, TxOp next, long timeoutMillis) {
        this(txId, stampMillis, done, next, timeoutMillis, SessionValues.DEFAULT);
    }
}
