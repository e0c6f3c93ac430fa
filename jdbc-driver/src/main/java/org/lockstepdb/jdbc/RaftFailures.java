package org.lockstepdb.jdbc;

import static org.lockstepdb.jdbc.ServerErrorTranslation.CONNECTION_FAILURE;

import java.io.InterruptedIOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.lockstepdb.protocol.ErrorReply;

/** What a Ratis client failure means for JDBC: the SQLException to throw, and whether retrying can help. */
final class RaftFailures {
    private RaftFailures() {
    }

    /** Whether {@code e} or one of its causes is a {@code type}. */
    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** A failure no retry can mend: the client is closed, the thread interrupted, or the group is gone. */
    static boolean isFatal(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof AlreadyClosedException || c instanceof InterruptedIOException
                    || c instanceof GroupMismatchException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    /**
     * True if a read failed because its target did not serve it (unreachable, closed, not the leader or without one,
     * read index not available): sending it to the server that leads now runs it once. False for the read's own
     * outcome: a timeout (it may still be running), a server's error reply, a state machine failure, this client
     * closed.
     */
    static boolean isUnreachableOrNotLeader(Throwable e) {
        if (QueryDeadline.isClientTimeout(e) || ServerErrorTranslation.findErrorReply(e).isPresent() || isFatal(e)) {
            return false;
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof org.apache.ratis.protocol.exceptions.StateMachineException) {
                return false;
            }
        }
        return true;
    }

    /** A Ratis failure as an SQLException: an embedded {@link ErrorReply} wins; otherwise by cause. */
    static SQLException translate(Throwable t, boolean write, String servers) {
        java.util.Optional<ErrorReply> error = ServerErrorTranslation.findErrorReply(t);
        if (error.isPresent()) {
            return ServerErrorTranslation.toException(error.get(), t);
        }
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof InterruptedIOException) {
            Thread.currentThread().interrupt();
            return new SQLTransientConnectionException("Interrupted while waiting for the LockstepDB cluster"
                    + (write ? "; the write may or may not have been applied" : ""), CONNECTION_FAILURE, c);
        }
        if (c instanceof AlreadyClosedException) {
            return new SQLNonTransientConnectionException("The connection's Ratis client is closed", "08003", c);
        }
        if (c instanceof GroupMismatchException) {
            return new SQLNonTransientConnectionException("The LockstepDB cluster no longer serves the Raft group "
                    + "this connection discovered; reconnect: " + c.getMessage(), "08004", c);
        }
        if (c instanceof WriteDeadlineException) {
            return new SQLTransientConnectionException("No LockstepDB leader acknowledged the write " + c.getMessage()
                    + " (servers " + servers + "). The write may or may not have been applied",
                    CONNECTION_FAILURE, c);
        }
        if (c instanceof StateMachineException) {
            return new SQLException("The LockstepDB server failed the request: " + c.getMessage(), "HY000", c);
        }
        return new SQLTransientConnectionException("The LockstepDB cluster has no reachable leader: the "
                + (write ? "write" : "query") + " was not answered by any of " + servers
                + " (" + PeerDiscovery.describe(c) + ")"
                + (write ? ". The write may or may not have been applied" : ""), CONNECTION_FAILURE, c);
    }
}
