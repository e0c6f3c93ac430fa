package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.junit.jupiter.api.Test;

/**
 * {@link WriteSender}'s retry loop against a scripted RPC on a fake clock: it follows leaders, retries until the
 * deadline no matter how many attempts that takes, never starts an attempt after the deadline, bounds every
 * attempt by the time left, and uses one call id for all attempts of one write.
 */
class WriteSenderTest {
    private static final RaftGroupId GROUP = RaftGroupId.randomId();
    private static final RaftPeer N1 = peer("n1");
    private static final RaftPeer N2 = peer("n2");
    private static final RaftPeer N3 = peer("n3");
    private static final Message WRITE = Message.valueOf("INSERT");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ScriptedRpc rpc = new ScriptedRpc();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ClientId clientId = ClientId.randomId();

    private WriteSender sender(long maxAttemptMillis, long pauseMillis) {
        return new WriteSender(clientId, GROUP, List.of(N1, N2, N3), N1.getId(), rpc, closed::get, maxAttemptMillis,
                pauseMillis, millis -> nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis)));
    }

    private RequestDeadline deadline(long millis) {
        return RequestDeadline.after(millis, nanos::get);
    }

    @Test
    void followsTheLeaderThroughAnElectionWithOneCallId() throws Exception {
        rpc.fail(new ConnectException("Connection refused")); // n1 was killed
        rpc.reply(r -> notLeader(r, N1)); // n2 still believes in n1
        rpc.fail(new ConnectException("Connection refused"));
        rpc.reply(r -> notLeader(r, null)); // an election is under way
        rpc.reply(r -> new LeaderNotReadyException(member(r))); // n3 won but has not committed its first entry
        rpc.reply(r -> null); // acknowledged

        RaftClientReply reply = sender(3_000, 250).send(WRITE, deadline(10_000));

        assertThat(reply.isSuccess()).isTrue();
        assertThat(rpc.targets()).containsExactly("n1", "n2", "n1", "n2", "n3", "n3");
        assertThat(rpc.sent.stream().map(RaftClientRequest::getCallId).distinct()).hasSize(1);
        assertThat(rpc.sent.stream().map(RaftClientRequest::getClientId).distinct()).containsExactly(clientId);
        assertThat(rpc.sent).allMatch(r -> r.is(org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase.WRITE));
        assertThat(rpc.reconnected).containsExactly("n1", "n1"); // a fresh channel after each refused connection
    }

    @Test
    void theNextWriteReportsAcknowledgedCallIdsOnEveryAttempt() throws Exception {
        WriteSender sender = sender(3_000, 250);
        rpc.reply(r -> null);
        sender.send(WRITE, deadline(10_000));
        rpc.fail(new ConnectException("Connection refused"));
        rpc.reply(r -> null);
        sender.send(WRITE, deadline(10_000));

        long first = rpc.sent.get(0).getCallId();
        assertThat(rpc.sent.get(0).getRepliedCallIds()).isEmpty();
        assertThat(rpc.sent.get(1).getRepliedCallIds()).containsExactly(first);
        assertThat(rpc.sent.get(2).getRepliedCallIds()).containsExactly(first); // the retry carries the same set
    }

    @Test
    void retriesUntilTheDeadlineHowManyAttemptsThatTakes() {
        WriteSender sender = sender(3_000, 50);
        rpc.always(r -> notLeader(r, null)); // no leader for longer than the deadline

        assertThatThrownBy(() -> sender.send(WRITE, deadline(10_000)))
                .isInstanceOfSatisfying(WriteDeadlineException.class, e -> {
                    assertThat(e.attempts()).isEqualTo(200); // far beyond the old cap of 40 retries
                    assertThat(e.elapsedMillis()).isEqualTo(10_000);
                    assertThat(e.getMessage()).contains("within its 10000 ms deadline", "200 attempt(s) over 10000 ms",
                            "NotLeaderException");
                });
        assertThat(rpc.sent.stream().map(RaftClientRequest::getCallId).distinct()).hasSize(1);
    }

    @Test
    void everyAttemptIsBoundedByTheTimeLeftAndTheAttemptMaximum() {
        WriteSender sender = sender(3_000, 100);
        rpc.always(r -> {
            nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(r.getTimeoutMs())); // a hung leader: every attempt times out
            throw new TimeoutIOException("timed out", null);
        });

        assertThatThrownBy(() -> sender.send(WRITE, deadline(7_000))).isInstanceOf(WriteDeadlineException.class);

        // 3000 + 100 pause + 3000 + 100 pause leaves 800 ms for the last attempt; none starts after the deadline.
        assertThat(rpc.sent).extracting(RaftClientRequest::getTimeoutMs).containsExactly(3_000L, 3_000L, 800L);
        assertThat(rpc.targets()).containsExactly("n1", "n2", "n3");
    }

    @Test
    void aStatementTimeoutShorterThanTimeoutMsIsTheBudget() {
        assertThat(RequestDeadline.budgetMillis(10_000, 0)).isEqualTo(10_000);
        assertThat(RequestDeadline.budgetMillis(10_000, 2)).isEqualTo(2_000);
        assertThat(RequestDeadline.budgetMillis(10_000, 60)).isEqualTo(10_000);
    }

    @Test
    void anSqlErrorIsTheAnswerNotARetry() throws Exception {
        rpc.reply(r -> new StateMachineException("23505 duplicate key"));

        RaftClientReply reply = sender(3_000, 250).send(WRITE, deadline(10_000));

        assertThat(reply.getStateMachineException()).hasMessageContaining("23505");
        assertThat(rpc.sent).hasSize(1);
    }

    @Test
    void aStreamEndingWithoutReplyIsRetriedAsTheSameCall() throws Exception {
        rpc.fail(new AlreadyClosedException("Stream completed but no reply for request"));
        rpc.reply(r -> null);

        sender(3_000, 250).send(WRITE, deadline(10_000));

        assertThat(rpc.sent).hasSize(2);
        assertThat(rpc.sent.get(0).getCallId()).isEqualTo(rpc.sent.get(1).getCallId());
    }

    @Test
    void closingTheConnectionStopsTheRetries() {
        WriteSender sender = sender(3_000, 250);
        rpc.always(r -> {
            closed.set(true);
            throw new ConnectException("Connection refused");
        });

        assertThatThrownBy(() -> sender.send(WRITE, deadline(10_000))).isInstanceOf(AlreadyClosedException.class);
        assertThat(rpc.sent).hasSize(1);
    }

    // ---- scripted RPC ----------------------------------------------------------------------------------------

    /** What one attempt gets: a reply exception (null = success), or a thrown IOException. */
    interface Answer {
        RaftException answer(RaftClientRequest request) throws IOException;
    }

    private static final class ScriptedRpc implements RaftClientRpc {
        final List<RaftClientRequest> sent = new ArrayList<>();
        final List<String> reconnected = new ArrayList<>();
        final Deque<Answer> script = new ArrayDeque<>();
        Answer always;

        void reply(Answer a) {
            script.add(a);
        }

        void fail(IOException e) {
            script.add(r -> {
                throw e;
            });
        }

        void always(Answer a) {
            always = a;
        }

        List<String> targets() {
            return sent.stream().map(r -> r.getServerId().toString()).toList();
        }

        @Override
        public RaftClientReply sendRequest(RaftClientRequest request) throws IOException {
            sent.add(request);
            Answer a = script.isEmpty() ? always : script.poll();
            if (a == null) {
                throw new AssertionError("unexpected attempt " + request);
            }
            RaftException e = a.answer(request);
            RaftClientReply.Builder b = RaftClientReply.newBuilder().setRequest(request);
            return (e == null ? b.setSuccess().setMessage(Message.EMPTY) : b.setException(e)).build();
        }

        @Override
        public boolean handleException(RaftPeerId serverId, Throwable t, boolean reconnect) {
            reconnected.add(serverId.toString());
            return true;
        }

        @Override
        public void addRaftPeers(java.util.Collection<RaftPeer> peers) {
        }

        @Override
        public void close() {
        }
    }

    private static RaftPeer peer(String id) {
        return RaftPeer.newBuilder().setId(id).setAddress("127.0.0.1:1").build();
    }

    private static RaftGroupMemberId member(RaftClientRequest r) {
        return RaftGroupMemberId.valueOf(r.getServerId(), GROUP);
    }

    private static NotLeaderException notLeader(RaftClientRequest r, RaftPeer suggested) {
        return new NotLeaderException(member(r), suggested, List.of(N1, N2, N3));
    }
}
