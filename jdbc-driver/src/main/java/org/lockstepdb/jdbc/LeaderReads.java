package org.lockstepdb.jdbc;

import java.io.IOException;
import java.util.function.Supplier;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a linearizable read to the leader, and after the leader went away, only to a server that says it leads.
 *
 * <p>Why not Ratis' own redirection: when the leader it knows does not answer, the Ratis client sends the read to a
 * random other server. Right after the leader stopped that server is still a follower of the old leader or a
 * candidate, and in Ratis 3.3.0 it was seen to keep such a read unanswered until the client's request timeout (20 s,
 * 60 s: {@code timeoutMs}), which the driver does not retry (a timed-out query may still be running). So a read
 * whose target is unreachable or not the leader is sent again only to a server whose own role is LEADER (Ratis
 * group info, asked of every peer every {@code retryIntervalMillis}): the wait is the election plus one interval.
 */
final class LeaderReads {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderReads.class);

    /** Sleeps between polls; returns early (and the read stops) when the connection closes. */
    @FunctionalInterface
    interface Pause {
        void pause(long millis) throws InterruptedException;
    }

    private final RaftClient client;
    private final Supplier<RaftGroup> group;
    private final long retryIntervalMillis;
    private final Pause pause;
    /** Where reads go: the leader found at connect, then the last server that said it leads. */
    private volatile RaftPeerId leader;

    LeaderReads(RaftClient client, Supplier<RaftGroup> group, long retryIntervalMillis, Pause pause) {
        this.client = client;
        this.group = group;
        this.retryIntervalMillis = Math.max(10, retryIntervalMillis);
        this.pause = pause;
        this.leader = client.getLeaderId();
    }

    /**
     * @param timeoutMillis how long to look for a leader that answers, in ms (the URL's {@code timeoutMs})
     * @throws IOException the read's own failure (a timeout, a server's error reply: never re-sent), or the last
     *                     unreachable target's when no server that leads answered within {@code timeoutMillis}
     */
    RaftClientReply read(Message msg, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        RaftPeerId target = leader;
        IOException last = null;
        while (true) {
            if (target != null) {
                try {
                    RaftClientReply reply = client.io().sendReadOnly(msg, target);
                    leader = target;
                    return reply;
                } catch (IOException e) {
                    if (!RaftFailures.isUnreachableOrNotLeader(e)) {
                        throw e;
                    }
                    LOG.debug("LockstepDB read to {} failed; waiting for a server that leads", target, e);
                    last = e;
                }
            }
            if (System.nanoTime() >= deadline) {
                throw last != null ? last : new IOException("no server of " + group.get() + " says it leads");
            }
            try {
                pause.pause(retryIntervalMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for a leader");
            }
            target = selfDeclaredLeader(target);
        }
    }

    /**
     * A peer other than {@code failed} whose own role is LEADER; else {@code failed} again (it may lead again, and a
     * read to it fails fast while it is down). The failed one is not asked: a hung server would hold the question
     * for the whole request timeout.
     */
    private RaftPeerId selfDeclaredLeader(RaftPeerId failed) {
        RaftGroup g = group.get();
        for (RaftPeer p : g.getPeers()) {
            RaftPeerId peer = p.getId();
            if (peer.equals(failed)) {
                continue;
            }
            try {
                RoleInfoProto role = client.getGroupManagementApi(peer).info(g.getGroupId()).getRoleInfoProto();
                if (role != null && role.getRole() == RaftPeerRole.LEADER) {
                    return peer;
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("{} did not say whether it leads: {}", peer, PeerDiscovery.describe(e));
            }
        }
        return failed;
    }
}
