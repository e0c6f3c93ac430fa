package org.lockstepdb.jdbc;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.apache.ratis.protocol.exceptions.StaleReadException;
import org.lockstepdb.protocol.AdminOperation;
import org.lockstepdb.protocol.AdminRequest;
import org.lockstepdb.protocol.AdminResult;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.MessageCodec;
import org.lockstepdb.protocol.ProtocolException;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.Request;
import org.lockstepdb.protocol.TxCommitRequest;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.TxStatementResult;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.lockstepdb.jdbc.ServerErrorTranslation.CONNECTION_FAILURE;

/**
 * The Ratis side of one connection: discovers the cluster, sends writes through the leader ({@link WriteSender}:
 * follows leader changes, retries with the same call id until the deadline) and queries with the chosen
 * consistency. One per connection.
 *
 * <p>Follower and stale reads go to the followers round-robin; when the chosen follower fails (down, lagging,
 * unreachable) the next one is tried, and finally the leader with a linearizable read, which is at least as
 * fresh as any consistency asked for.
 */
public final class ClusterClient implements SqlChannel {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterClient.class);
    /** Retries of a read aimed at one chosen server before moving on to another. */
    private static final int TARGETED_RETRIES = 2;
    /** Statement.cancel() returns after at most this long; unanswered cancel requests finish in the background. */
    private static final long CANCEL_WAIT_MILLIS = 2_000;
    /** Threads sending cancel requests (daemon, created on demand, gone when idle). */
    private static final java.util.concurrent.ExecutorService CANCELLERS = java.util.concurrent.Executors
            .newCachedThreadPool(r -> {
                Thread t = new Thread(r, "lockstep-jdbc-cancel");
                t.setDaemon(true);
                return t;
            });
    /**
     * The longest one write attempt waits before it is retried (same call id) on another server: long enough for a
     * busy leader, short enough to fail over from a hung one well within the default 10 s deadline.
     */
    static final long MAX_WRITE_ATTEMPT_MILLIS = 3_000;

    private final ConnectionUrl url;
    private volatile RaftGroup group; // replaced when this client changes the membership
    private final RaftClient client;
    private final WriteSender writer;
    private final LeaderReads leaderReads;
    private final AtomicInteger nextReader = new AtomicInteger();
    /** Wakes a write pausing between retries when the connection closes, so it stops at once. */
    private final Object closeSignal = new Object();
    private volatile boolean closed;

    private ClusterClient(ConnectionUrl url, RaftGroup group, RaftPeerId leader, RaftClient client) {
        this.url = url;
        this.group = group;
        this.client = client;
        this.writer = new WriteSender(client.getId(), group.getGroupId(), group.getPeers(), leader,
                client.getClientRpc(), () -> closed, Math.min(url.timeoutMillis(), MAX_WRITE_ATTEMPT_MILLIS),
                url.retryIntervalMillis(), this::pauseUnlessClosed);
        this.leaderReads = new LeaderReads(client, this::group, url.retryIntervalMillis(), this::pauseUnlessClosed);
    }

    /** Discovers the cluster behind the URL's addresses and connects a Ratis client to it. */
    public static ClusterClient connect(ConnectionUrl url) throws SQLException {
        RaftProperties props = new RaftProperties();
        PeerDiscovery.Discovered found = PeerDiscovery.discover(url.addresses(), url.connectTimeoutMillis(), props);
        RaftClientConfigKeys.Rpc.setRequestTimeout(props,
                TimeDuration.valueOf(url.timeoutMillis(), TimeUnit.MILLISECONDS));
        RaftClient.Builder builder = RaftClient.newBuilder()
                .setProperties(props)
                .setRaftGroup(found.group())
                .setRetryPolicy(new DeadlineRetryPolicy(url.retries(), TARGETED_RETRIES, url.timeoutMillis(),
                        url.retryIntervalMillis()));
        if (found.leaderId() != null) {
            builder.setLeaderId(found.leaderId());
        }
        RaftClient client = builder.build();
        LOG.debug("LockstepDB connected to group {} via {}; leader {}", found.group(), found.answeredBy(),
                found.leaderId());
        return new ClusterClient(url, found.group(), found.leaderId(), client);
    }

    /** The peers discovered at connect. */
    public RaftGroup group() {
        return group;
    }

    @Override
    public WriteResult write(WriteRequest request) throws SQLException {
        return write(request, url.timeoutMillis());
    }

    /**
     * Sends the write and retries it as one Ratis call (same client id and call id) until
     * {@code min(budgetMillis, timeoutMs)} have passed, see {@link WriteSender}.
     *
     * @throws SQLTransientConnectionException 08006 when no leader acknowledged it in time (the message says how
     *         long and how often it was tried; the write may or may not have been applied)
     */
    @Override
    public WriteResult write(WriteRequest request, long budgetMillis) throws SQLException {
        return sendWrite(request, budgetMillis);
    }

    /** A transaction's commit: a write like any other ({@link #write(WriteRequest, long)}). */
    @Override
    public WriteResult commit(TxCommitRequest commit, long budgetMillis) throws SQLException {
        return sendWrite(commit, budgetMillis);
    }

    /** The leader with {@code txHome=leader}, else the next follower round-robin (the leader if there is none). */
    @Override
    public String transactionHome() throws SQLException {
        checkOpen();
        RaftPeerId leader = client.getLeaderId() != null ? client.getLeaderId() : writer.leader();
        List<RaftPeerId> followers = readTargets();
        RaftPeerId home = url.txOnLeader() || followers.isEmpty() ? leader : followers.get(0);
        return String.valueOf(home != null ? home : group.getPeers().iterator().next().getId());
    }

    /**
     * A ReadIndex read on the home replica only: a transaction's statements must all see one replica's states (its
     * script is replayed there). A failure to reach it, or no answer in time, is 08S01 (the caller rolls the
     * transaction back and keeps it aborted until rollback()).
     */
    @Override
    public TxStatementResult transactionStatement(TxStatementRequest request, String home) throws SQLException {
        checkOpen();
        RaftClientReply reply;
        try {
            reply = client.io().sendReadOnly(message(request), RaftPeerId.valueOf(home));
        } catch (IOException | RuntimeException e) {
            if (ServerErrorTranslation.findErrorReply(e).isPresent()) {
                throw RaftFailures.translate(e, false, servers());
            }
            throw new SQLNonTransientConnectionException(homeFailure(home, e), "08S01", e);
        }
        Reply r = decode(reply);
        if (r instanceof TxStatementResult result) {
            return result;
        }
        throw new SQLException("Unexpected reply to a transaction statement: " + r.getClass().getSimpleName(), "08S01");
    }

    /**
     * What is known when a transaction's statement got no reply from its home: a timeout does not prove the home
     * is lost (a follower waits for the leader to confirm its read index, so a dead leader times it out too).
     */
    static String homeFailure(String home, Throwable e) {
        String what = isTimeout(e)
                ? "No answer from the transaction's home replica " + home + " or the cluster within the time limit ("
                        + PeerDiscovery.describe(e) + "; the home replica needs the leader to confirm each statement's "
                        + "read state, so a leader failover can cause this too)"
                : "The transaction's home replica " + home + " could not be reached (" + PeerDiscovery.describe(e) + ")";
        return what + "; the transaction was rolled back, nothing of it was applied: call rollback() and run it again";
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException
                    || t instanceof org.apache.ratis.protocol.exceptions.TimeoutIOException
                    || String.valueOf(t.getMessage()).contains("DEADLINE_EXCEEDED")) {
                return true;
            }
        }
        return false;
    }

    private WriteResult sendWrite(Request request, long budgetMillis) throws SQLException {
        checkOpen();
        Message msg = message(request);
        RequestDeadline deadline = RequestDeadline.after(Math.min(budgetMillis, url.timeoutMillis()));
        RaftClientReply reply;
        try {
            reply = writer.send(msg, deadline);
        } catch (IOException | RuntimeException e) {
            throw RaftFailures.translate(e, true, servers());
        }
        Reply r = decode(reply);
        if (r instanceof WriteResult) {
            return (WriteResult) r;
        }
        throw new SQLException("Unexpected reply to a write: " + r.getClass().getSimpleName(), "08S01");
    }

    @Override
    public QueryResult query(QueryRequest request, ReadConsistency consistency, long minIndex) throws SQLException {
        checkOpen();
        Message msg = message(request.withTimeoutMillis(
                QueryDeadline.serverLimitMillis(request.timeoutMillis(), url.timeoutMillis())));
        Reply r;
        if (consistency == ReadConsistency.LINEARIZABLE) {
            r = readFromLeader(msg);
        } else {
            r = readFromFollowers(msg, consistency, minIndex);
        }
        if (r instanceof QueryResult) {
            return (QueryResult) r;
        }
        throw new SQLException("Unexpected reply to a query: " + r.getClass().getSimpleName(), "08S01");
    }

    /**
     * Statement.cancel(): every replica is asked (the query runs on one of them, which one the read path chose),
     * each on its own thread; waits at most {@link #CANCEL_WAIT_MILLIS} in all.
     */
    @Override
    public void cancelQuery(String queryId) throws SQLException {
        checkOpen();
        Message msg = message(AdminRequest.of(AdminOperation.CANCEL_QUERY, java.util.Map.of("id", queryId)));
        List<java.util.concurrent.CompletableFuture<?>> sent = new ArrayList<>();
        for (RaftPeer p : group.getPeers()) {
            sent.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    client.io().sendStaleRead(msg, 0, p.getId());
                } catch (IOException | RuntimeException e) {
                    LOG.debug("cancel of query {} on {} failed", queryId, p.getId(), e);
                }
            }, CANCELLERS));
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(sent.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                    .get(CANCEL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // best effort: the query's time limit still bounds it
        }
    }

    /**
     * An admin operation that every replica performs at one log index: a write like any other, retried as one call
     * until {@code timeoutMs} (see {@link #write(WriteRequest, long)}).
     */
    AdminResult adminThroughLog(AdminRequest request) throws SQLException {
        checkOpen();
        RaftClientReply reply;
        try {
            reply = writer.send(message(request), RequestDeadline.after(url.timeoutMillis()));
        } catch (IOException | RuntimeException e) {
            throw RaftFailures.translate(e, true, servers());
        }
        return expectAdmin(decode(reply));
    }

    /** An admin read answered by one given replica once it has applied {@code minIndex}. */
    AdminResult adminRead(AdminRequest request, RaftPeerId server, long minIndex) throws SQLException {
        checkOpen();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(url.timeoutMillis());
        while (true) {
            try {
                return expectAdmin(decode(client.io().sendStaleRead(message(request), Math.max(0, minIndex), server)));
            } catch (IOException | RuntimeException e) {
                // A replica that just restarted may not know the commit index yet: wait for it, bounded.
                if (!RaftFailures.causedBy(e, StaleReadException.class) || System.nanoTime() > deadline) {
                    throw RaftFailures.translate(e, false, server + "@" + group.getPeer(server).getAddress());
                }
            }
            sleepMillis(100);
        }
    }

    private static void sleepMillis(long millis) throws SQLException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("Interrupted while waiting for a replica", CONNECTION_FAILURE, e);
        }
    }

    /** Asks a server (null: the leader) to take a snapshot now; returns the index of its latest finished one. */
    long createSnapshot(RaftPeerId server) throws SQLException {
        checkOpen();
        try {
            RaftClientReply reply = (server == null ? client.getSnapshotManagementApi()
                    : client.getSnapshotManagementApi(server)).create(true, url.timeoutMillis());
            if (!reply.isSuccess()) {
                throw RaftFailures.translate(reply.getException() != null ? reply.getException()
                        : new IOException("snapshot request failed: " + reply), false, servers());
            }
            return reply.getLogIndex();
        } catch (IOException | RuntimeException e) {
            throw RaftFailures.translate(e, false, servers());
        }
    }

    /**
     * Changes the cluster's membership to exactly {@code peers} (through the leader; Ratis adds new peers as
     * staging members that must catch up first). Also the way to change priorities.
     */
    void setMembers(List<RaftPeer> peers) throws SQLException {
        checkOpen();
        try {
            // The List overload: setConfiguration(RaftPeer[]...) has an NPE bug in Ratis 3.3.0.
            RaftClientReply reply = client.admin().setConfiguration(peers);
            if (!reply.isSuccess()) {
                throw RaftFailures.translate(reply.getException() != null ? reply.getException()
                        : new IOException("membership change failed: " + reply), false, servers());
            }
        } catch (IOException | RuntimeException e) {
            throw RaftFailures.translate(e, false, servers());
        }
        group = RaftGroup.valueOf(group.getGroupId(), peers);
        writer.setPeers(peers);
    }

    /** Moves leadership to {@code target}, which must already have the highest priority. */
    void transferLeadership(RaftPeerId target) throws SQLException {
        checkOpen();
        try {
            RaftClientReply reply = client.admin().transferLeadership(target, url.timeoutMillis());
            if (!reply.isSuccess()) {
                throw RaftFailures.translate(reply.getException() != null ? reply.getException()
                        : new IOException("leadership transfer failed: " + reply), false, servers());
            }
        } catch (IOException | RuntimeException e) {
            throw RaftFailures.translate(e, false, servers());
        }
    }

    /** The leader as this client last knew it (null if unknown). */
    /**
     * The leader as the servers themselves report it now (Ratis {@code GroupManagementApi.info}, asked of the last
     * known leader first, then the other peers), or the last leader a write reached when no server names one.
     * The Ratis client's own leader is only a guess made at connect (a connection that never wrote keeps it), and
     * admin requests such as a snapshot are served by whichever server they are sent to, leader or not.
     */
    RaftPeerId leaderId() {
        List<RaftPeerId> order = new ArrayList<>();
        order.add(writer.leader());
        group.getPeers().forEach(p -> {
            if (!order.contains(p.getId())) {
                order.add(p.getId());
            }
        });
        for (RaftPeerId peer : order) {
            try {
                RaftPeerId named = PeerDiscovery.leaderOf(
                        client.getGroupManagementApi(peer).info(group.getGroupId()).getRoleInfoProto(), group);
                if (named != null) {
                    return named;
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("{} did not say who leads: {}", peer, PeerDiscovery.describe(e));
            }
        }
        return writer.leader();
    }

    private static AdminResult expectAdmin(Reply r) throws SQLException {
        if (r instanceof AdminResult a) {
            return a;
        }
        throw new SQLException("Unexpected reply to an admin request: " + r.getClass().getSimpleName(), "08S01");
    }

    private Reply readFromLeader(Message msg) throws SQLException {
        try {
            return decode(leaderReads.read(msg, url.timeoutMillis()));
        } catch (IOException | RuntimeException e) {
            throw translateRead(e);
        }
    }

    private SQLException translateRead(Throwable e) {
        return QueryDeadline.isClientTimeout(e) && ServerErrorTranslation.findErrorReply(e).isEmpty()
                ? QueryDeadline.timedOut(url.timeoutMillis(), servers(), e) : RaftFailures.translate(e, false, servers());
    }

    private Reply readFromFollowers(Message msg, ReadConsistency consistency, long minIndex) throws SQLException {
        for (RaftPeerId target : readTargets()) {
            if (closed) {
                break;
            }
            RaftClientReply reply;
            try {
                reply = consistency == ReadConsistency.STALE
                        ? client.io().sendStaleRead(msg, Math.max(0, minIndex), target)
                        : client.io().sendReadOnly(msg, target);
            } catch (IOException | RuntimeException e) {
                // A timed-out query may still be running there: never start it again elsewhere.
                if (ServerErrorTranslation.findErrorReply(e).isPresent() || RaftFailures.isFatal(e)
                        || QueryDeadline.isClientTimeout(e)) {
                    throw translateRead(e);
                }
                LOG.debug("LockstepDB {} read from {} failed; trying another server", consistency, target, e);
                continue;
            }
            return decode(reply);
        }
        return readFromLeader(msg);
    }

    /** Followers first (round-robin start), then the other peers; never empty. */
    List<RaftPeerId> readTargets() {
        RaftPeerId leader = client.getLeaderId();
        List<RaftPeerId> followers = new ArrayList<>();
        for (RaftPeer p : group.getPeers()) {
            if (!p.getId().equals(leader)) {
                followers.add(p.getId());
            }
        }
        List<RaftPeerId> order = new ArrayList<>();
        if (!followers.isEmpty()) {
            int start = Math.floorMod(nextReader.getAndIncrement(), followers.size());
            for (int i = 0; i < followers.size(); i++) {
                order.add(followers.get((start + i) % followers.size()));
            }
        }
        return order;
    }

    private static Message message(Request request) throws SQLException {
        try {
            return Message.valueOf(ByteString.copyFrom(MessageCodec.encode(request)));
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new SQLException("Cannot encode the request: " + e.getMessage(), "22000", e);
        }
    }

    private Reply decode(RaftClientReply reply) throws SQLException {
        if (!reply.isSuccess()) {
            throw RaftFailures.translate(reply.getException() != null ? reply.getException()
                    : new IOException("unsuccessful reply " + reply), false, servers());
        }
        Reply r;
        try {
            r = MessageCodec.decodeReply(reply.getMessage().getContent().toByteArray());
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new SQLNonTransientConnectionException("Cannot decode the server's reply: " + e.getMessage(),
                    "08S01", e);
        }
        if (r instanceof ErrorReply) {
            throw ServerErrorTranslation.toException((ErrorReply) r);
        }
        return r;
    }

    private String servers() {
        StringBuilder sb = new StringBuilder();
        for (RaftPeer p : group.getPeers()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(p.getId()).append('@').append(p.getAddress());
        }
        return "[" + sb + "]";
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw JdbcSupport.closed("Connection");
        }
    }

    private void pauseUnlessClosed(long millis) throws InterruptedException {
        synchronized (closeSignal) {
            if (!closed) {
                closeSignal.wait(millis); // an early wake-up only shortens one pause
            }
        }
    }

    @Override
    public void close() throws SQLException {
        synchronized (closeSignal) {
            if (closed) {
                return;
            }
            closed = true;
            closeSignal.notifyAll();
        }
        try {
            client.close();
        } catch (IOException e) {
            throw new SQLException("Closing the Ratis client failed: " + e.getMessage(), "08006", e);
        }
    }

    @Override
    public String toString() {
        return "ClusterClient(" + url.addresses() + " -> " + group.getPeers() + ")";
    }
}
