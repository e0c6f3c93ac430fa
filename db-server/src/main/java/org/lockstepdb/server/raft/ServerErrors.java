package org.lockstepdb.server.raft;

import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.StatementLimits;

/**
 * The errors the server itself raises (as opposed to H2's and the guard's), with their documented SQLStates: the
 * one place in db-server that names a SQLState.
 */
final class ServerErrors {
    private ServerErrors() {
    }

    /** 54000: program limit exceeded. */
    static ErrorReply tooLarge(int bytes, int limit) {
        return new ErrorReply("54000", 0, "request of " + bytes + " bytes exceeds the server's maximum of " + limit
                + " bytes (--max-request-bytes); split the batch into smaller ones");
    }

    /**
     * 54000: an interactive transaction's commit would be larger than the request limit. {@code atStatement}: the
     * statement that would cross it is refused and the transaction stays open without it; else the commit itself.
     */
    static ErrorReply transactionTooLarge(int bytes, int limit, boolean atStatement) {
        return new ErrorReply("54000", 0, (atStatement
                ? "with this statement and its result the transaction's commit would be " + bytes + " bytes"
                : "the transaction's commit of " + bytes + " bytes")
                + ", over the server's maximum of " + limit + " bytes (--max-request-bytes); " + (atStatement
                ? "the statement was not added and the transaction stays open without it: commit it and go on in "
                        + "another transaction, or roll back and run smaller transactions"
                : "nothing of it was applied: run it as several smaller transactions"));
    }

    /** 54000: an interactive transaction with more statement executions than one log entry may hold. */
    static ErrorReply transactionTooManyExecutions(long executions, int limit, boolean atStatement) {
        return new ErrorReply("54000", 0, "a transaction may run at most " + limit + " statement executions (each "
                + "parameter set of a batch counts), " + (atStatement
                ? "with this statement it would run " + executions + ": the statement was not added and the "
                        + "transaction stays open without it"
                : "this one runs " + executions + ": nothing of it was applied; run it as several smaller "
                        + "transactions"));
    }

    /** 08P01: protocol violation (a message we cannot decode, or the wrong kind of request). */
    static ErrorReply protocol(String detail) {
        return new ErrorReply("08P01", 0, "protocol error: " + detail);
    }

    /** 22023: invalid parameter value (malformed request shape). */
    static ErrorReply invalid(String detail) {
        return new ErrorReply("22023", 0, detail);
    }

    /** HYT00: timeout. */
    static ErrorReply readTimeout(long minIndex, long waitedMillis) {
        return new ErrorReply("HYT00", 0, "this replica did not reach log index " + minIndex + " within "
                + waitedMillis + " ms; read from the leader or retry");
    }

    /** 57014: query canceled; the client's time ran out while its query waited for a thread or an index. */
    static ErrorReply expiredBeforeStart(long timeoutMillis) {
        return new ErrorReply("57014", 0, "the query's time limit of " + timeoutMillis + " ms passed before it could "
                + "start on this replica (busy, or waiting for its log index); it was not run");
    }

    /** {@link StatementLimits#TOO_COMPLEX_SQLSTATE}: a read overflowed the stack (H2 recursed too deeply). */
    static ErrorReply nestedTooDeeply() {
        return new ErrorReply(StatementLimits.TOO_COMPLEX_SQLSTATE, 0, "the statement is nested too deeply to run; flatten it");
    }

    /** 08003: connection does not exist; the replica is closing and serves nothing more. */
    static ErrorReply shuttingDown() {
        return new ErrorReply("08003", 0, "this replica is shutting down");
    }

    /** 53400: configuration limit exceeded (every query thread busy and the queue full; {@code detail} says which). */
    static ErrorReply busy(String detail) {
        return new ErrorReply("53400", 0, "this replica is busy: " + detail);
    }

    /** XX000: internal error, a failure outside the store's own error handling. */
    static ErrorReply internal(String detail) {
        return new ErrorReply("XX000", 0, "internal error " + detail);
    }

    /** 58030: I/O error on this replica (an admin operation's file work). */
    static ErrorReply ioError(String message) {
        return new ErrorReply("58030", 0, message);
    }

    /** 55000: object not in prerequisite state (e.g. no verify checksum recorded for that index). */
    static ErrorReply notInPrerequisiteState(String message) {
        return new ErrorReply("55000", 0, message);
    }

    /** 57014: the wait was interrupted (the replica is closing). */
    static ErrorReply interrupted(String what) {
        return new ErrorReply("57014", 0, "interrupted while " + what);
    }
}
