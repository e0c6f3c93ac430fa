package org.lockstepdb.jdbc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.rpc.CallId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one write to the leader and retries it until the write's deadline: through leader changes
 * ({@code NotLeaderException}, following the suggested leader), no leader yet, a leader not ready, refused
 * connections and attempts that time out. Every attempt of one write carries the <em>same</em> Ratis client id and
 * call id, so the servers' retry cache (and the durable applied-request table) apply it at most once; a write is
 * never resent as a new call.
 *
 * <p>Why not {@code RaftClient.io().send}: its retry loop rethrows some failures a retry would fix
 * ({@code AlreadyClosedException} when a stream ends without a reply, {@code LeaderSteppingDownException}) and its
 * attempt timeout is one per client, so a write could neither fail over from a hung leader within a short statement
 * timeout nor stop exactly at its deadline. Here each attempt is one {@link RaftClientRpc#sendRequest} on the
 * Ratis client's own channels, with an attempt timeout of at most {@code maxAttemptMillis} and never beyond the
 * deadline.
 */
final class WriteSender {
    private static final Logger LOG = LoggerFactory.getLogger(WriteSender.class);

    /** How the sender pauses between attempts (a real sleep outside tests). */
    interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    private final ClientId clientId;
    private final RaftGroupId groupId;
    private final RaftClientRpc rpc;
    private final BooleanSupplier closed;
    private final long maxAttemptMillis;
    private final long pauseMillis;
    private final Pause pause;
    private volatile List<RaftPeerId> peers;
    private volatile RaftPeerId leader;
    /**
     * Call ids of acknowledged writes not yet reported to a server. The next write carries them (as Ratis' own
     * client does), so the leader drops their retry-cache entries early instead of keeping them until expiry.
     */
    private final Set<Long> replied = new TreeSet<>();

    /**
     * @param clientId         the Ratis client's id (part of every attempt's retry-cache key)
     * @param rpc              the Ratis client's RPC (its channels); not closed here
     * @param closed           true once the connection is closed: a retry then stops at once
     * @param leader           where the first write goes (the leader as discovered; any peer works)
     * @param maxAttemptMillis the longest one attempt waits for an answer before it is retried elsewhere
     * @param pauseMillis      the pause before retrying, except when a server names the leader to follow
     */
    WriteSender(ClientId clientId, RaftGroupId groupId, Collection<RaftPeer> peers, RaftPeerId leader,
                RaftClientRpc rpc, BooleanSupplier closed, long maxAttemptMillis, long pauseMillis, Pause pause) {
        this.clientId = Objects.requireNonNull(clientId);
        this.groupId = Objects.requireNonNull(groupId);
        this.rpc = Objects.requireNonNull(rpc);
        this.closed = closed;
        this.maxAttemptMillis = maxAttemptMillis;
        this.pauseMillis = pauseMillis;
        this.pause = pause;
        setPeers(peers);
        this.leader = leader != null ? leader : this.peers.get(0);
    }

    /** The peers writes may go to; called when the membership changes. */
    void setPeers(Collection<RaftPeer> newPeers) {
        List<RaftPeerId> ids = new ArrayList<>();
        for (RaftPeer p : newPeers) {
            ids.add(p.getId());
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a cluster has at least one peer");
        }
        peers = List.copyOf(ids);
    }

    /** The peer the last write was acknowledged by (or the first guess). */
    RaftPeerId leader() {
        return leader;
    }

    /**
     * Sends {@code message} as one write and returns the leader's reply: a success, or a final answer the caller
     * decodes ({@code StateMachineException} carrying the SQL error, {@code GroupMismatchException}).
     *
     * @throws WriteDeadlineException no acknowledgement before the deadline; the write may or may not be applied
     * @throws AlreadyClosedException the connection was closed meanwhile
     * @throws InterruptedIOException the calling thread was interrupted
     * @throws GroupMismatchException the servers no longer serve this Raft group
     */
    RaftClientReply send(Message message, RequestDeadline deadline) throws IOException {
        long callId = CallId.getAndIncrement();
        List<Long> repliedBefore = takeReplied(); // the same set on every attempt of this call
        RaftPeerId target = leader;
        int attempts = 0;
        Throwable lastFailure = null;
        while (true) {
            if (closed.getAsBoolean()) {
                throw new AlreadyClosedException("the connection was closed while its write was being retried");
            }
            long remaining = deadline.remainingMillis();
            if (remaining <= 0) {
                throw new WriteDeadlineException(deadline.budgetMillis(), deadline.elapsedMillis(), attempts,
                        lastFailure);
            }
            attempts++;
            RaftClientRequest request = RaftClientRequest.newBuilder()
                    .setClientId(clientId)
                    .setGroupId(groupId)
                    .setLeaderId(target)
                    .setCallId(callId)
                    .setRepliedCallIds(repliedBefore)
                    .setMessage(message)
                    .setType(RaftClientRequest.writeRequestType())
                    .setTimeoutMs(Math.min(maxAttemptMillis, remaining))
                    .build();
            RaftClientReply reply;
            try {
                reply = rpc.sendRequest(request);
            } catch (GroupMismatchException | InterruptedIOException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // Refused, reset, timed out, a stream that ended without a reply, or a gRPC/Ratis client error:
                // the write may be in flight on that server; the retry (same call id) finds it there or in the
                // next leader's retry cache.
                lastFailure = e;
                if (closed.getAsBoolean()) {
                    throw new AlreadyClosedException("the connection was closed while its write was being sent");
                }
                LOG.debug("LockstepDB write call {} attempt {} to {} failed", callId, attempts, target, e);
                rpc.handleException(target, e, true); // a fresh channel next time, as Ratis' own client does
                target = nextPeer(target);
                pause(deadline);
                continue;
            }
            RaftException e = reply.getException();
            if (e == null || e instanceof StateMachineException || e instanceof GroupMismatchException) {
                if (e == null) {
                    leader = target;
                }
                synchronized (replied) {
                    replied.add(callId); // also an SQL error: the server answered this call for good
                }
                return reply;
            }
            lastFailure = e;
            if (e instanceof NotLeaderException nle) {
                if (nle.getPeers() != null && !nle.getPeers().isEmpty()) {
                    rpc.addRaftPeers(nle.getPeers());
                    setPeers(nle.getPeers());
                }
                RaftPeer suggested = nle.getSuggestedLeader();
                if (suggested != null && !suggested.getId().equals(target)) {
                    target = suggested.getId(); // follow at once: the named leader is the best guess
                    continue;
                }
                target = nextPeer(target); // no leader known yet: an election is under way
            } else if (!(e instanceof LeaderNotReadyException || e instanceof ResourceUnavailableException)) {
                // e.g. a server that is closing or not started: another peer may be (or know) the leader
                target = nextPeer(target);
            }
            LOG.debug("LockstepDB write call {} attempt {} to {}: {}", callId, attempts, request.getServerId(),
                    e.toString());
            pause(deadline);
        }
    }

    private List<Long> takeReplied() {
        synchronized (replied) {
            List<Long> ids = List.copyOf(replied);
            replied.clear();
            return ids;
        }
    }

    /** The peer after {@code current} in membership order (round-robin), so an election is probed evenly. */
    RaftPeerId nextPeer(RaftPeerId current) {
        List<RaftPeerId> ids = peers;
        int i = ids.indexOf(current);
        return ids.get((i + 1) % ids.size());
    }

    private void pause(RequestDeadline deadline) throws InterruptedIOException {
        long millis = Math.min(pauseMillis, deadline.remainingMillis());
        if (millis <= 0) {
            return;
        }
        try {
            pause.pause(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while retrying a write");
        }
    }
}
