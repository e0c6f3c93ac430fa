package org.lockstepdb.server.raft;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.storage.ClientCall;
import org.lockstepdb.storage.StoreSqlStates;

/**
 * The client call a log entry came from, as the store records it to apply each request once (see
 * {@code storage.ClientCallsTable}). Ratis writes the request's client id and call id into every state machine
 * entry, so followers and replays see the same pair as the leader. A {@code RaftClient} gets a random client id
 * when built and reuses a call id only to retry the same request, so the pair identifies one request.
 */
final class ClientCalls {
    private ClientCalls() {
    }

    /** @return the entry's call, or null if the entry carries no client id */
    static ClientCall of(LogEntryProto entry) {
        StateMachineLogEntryProto e = entry.getStateMachineLogEntry();
        byte[] clientId = e.getClientId().toByteArray();
        if (clientId.length == 0 || clientId.length > ClientCall.MAX_CLIENT_ID_BYTES) {
            return null;
        }
        return new ClientCall(clientId, e.getCallId());
    }

    /**
     * The reply to an entry replayed after a restart whose call is no longer remembered (outside the window,
     * or an entry without a call). Ratis puts it in its retry cache, so a retry may receive it: it says what
     * is known instead of pretending the write returned nothing.
     */
    static ErrorReply replyForgotten(long index) {
        return new ErrorReply(StoreSqlStates.REPLY_NOT_KEPT, 0, "this request was applied at log index " + index + " before the "
                + "replica restarted, and its reply is no longer kept; the write is committed: do not run it again");
    }
}
