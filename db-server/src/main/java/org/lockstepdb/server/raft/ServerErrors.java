package org.lockstepdb.server.raft;

import org.lockstepdb.protocol.ErrorReply;

/** The errors the server itself raises (as opposed to H2's), with their documented SQLStates. */
final class ServerErrors {
    private ServerErrors() {
    }

    /** 54000: program limit exceeded. */
    static ErrorReply tooLarge(int bytes, int limit) {
        return new ErrorReply("54000", 0, "request of " + bytes + " bytes exceeds the server's maximum of " + limit
                + " bytes (--max-request-bytes); split the batch into smaller ones");
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
}
