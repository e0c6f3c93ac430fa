package org.lockstepdb.server.raft;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.lockstepdb.protocol.AdminOperation;
import org.lockstepdb.protocol.AdminRequest;
import org.lockstepdb.protocol.AdminResult;
import org.lockstepdb.protocol.MessageCodec;
import org.lockstepdb.protocol.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator recovery from a log entry that every replica fails to apply ({@code lockstep server
 * --skip-log-entry INDEX}): each replica started with it applies that entry as a rejected entry (nothing of it
 * is applied, the applied index moves past it) instead of failing on it again at every restart.
 *
 * <p>A replica honours the flag only once a majority of the current configuration, itself included, reports
 * the same index (each answers the admin read {@code recovery-skip}, a stale read that does not wait for its
 * stuck apply thread). So a flag given to one replica by mistake skips nothing: it waits, logging why, until the
 * operator gives the same flag to a majority or restarts it without the flag. It is meant for a failure every
 * replica reports at the same index (a bug in LockstepDB's own bookkeeping); skipping an entry that some
 * replicas applied would make them differ, which {@code admin verify} then shows.
 */
public final class RecoverySkip {
    private static final Logger LOG = LoggerFactory.getLogger(RecoverySkip.class);
    /** No index named: the flag was not given. */
    public static final long NONE = -1;
    private static final long ASK_TIMEOUT_MILLIS = 1000;
    private static final long RETRY_MILLIS = 1000;

    /** Name of the file, beside the database directory, that lists the entries this replica skipped. */
    static final String SKIPPED_FILE = "skipped-log-entries";

    private final long index;

    public RecoverySkip(long index) {
        if (index < NONE || index == 0) {
            throw new IllegalArgumentException("--skip-log-entry needs a log index >= 1");
        }
        this.index = index;
    }

    /** The log index this replica was told to skip, or {@link #NONE}. */
    public long index() {
        return index;
    }

    boolean names(long logIndex) {
        return index != NONE && logIndex == index;
    }

    /**
     * The entries this replica skipped before, with a majority's agreement: a replica that later rebuilds from an
     * older snapshot and the log skips them again without the flag, as the others did.
     */
    static java.util.Set<Long> skippedBefore(java.nio.file.Path file) throws IOException {
        if (!java.nio.file.Files.exists(file)) {
            return java.util.Set.of();
        }
        java.util.Set<Long> skipped = new java.util.HashSet<>();
        for (String line : java.nio.file.Files.readAllLines(file)) {
            if (!line.isBlank()) {
                skipped.add(Long.parseLong(line.strip()));
            }
        }
        return skipped;
    }

    /** Records (durably, before the entry counts as applied) that this replica skipped {@code logIndex}. */
    static void recordSkipped(java.nio.file.Path file, long logIndex) throws IOException {
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.APPEND)) {
            out.write(java.nio.ByteBuffer.wrap((logIndex + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            out.force(true);
        }
    }

    /**
     * Blocks (interruptibly) until a majority of {@code peers}, {@code self} included, was started with the same
     * index. Runs on the apply thread: nothing else can be applied before this entry anyway.
     */
    void awaitMajority(RaftGroupId groupId, Collection<RaftPeer> peers, RaftPeerId self) throws InterruptedException {
        int needed = peers.size() / 2 + 1;
        for (int attempt = 1; ; attempt++) {
            List<String> agreeing = peers.stream().filter(p -> p.getId().equals(self) || asks(groupId, p, self))
                    .map(p -> p.getId().toString()).toList();
            if (agreeing.size() >= needed) {
                LOG.warn("{}: skipping log entry {} as rejected, by operator recovery agreed by {} of {} replicas {}",
                        self, index, agreeing.size(), peers.size(), agreeing);
                return;
            }
            if (attempt == 1 || attempt % 30 == 0) {
                LOG.warn("{}: --skip-log-entry {} waits for a majority ({} of {}) started with the same flag; so far {}",
                        self, index, needed, peers.size(), agreeing);
            }
            TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
        }
    }

    /** Whether {@code peer} answers that it was started with the same index. */
    private boolean asks(RaftGroupId groupId, RaftPeer peer, RaftPeerId self) {
        RaftProperties props = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(ASK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        try (RaftClient client = RaftClient.newBuilder().setProperties(props)
                .setRaftGroup(RaftGroup.valueOf(groupId, peer))
                .setRetryPolicy(RetryPolicies.noRetry())
                .build()) {
            Message ask = Message.valueOf(ByteString.copyFrom(MessageCodec.encode(AdminRequest.of(AdminOperation.RECOVERY_SKIP, Map.of()))));
            RaftClientReply reply = client.io().sendStaleRead(ask, 0, peer.getId());
            Reply decoded = MessageCodec.decodeReply(reply.getMessage().getContent().toByteArray());
            return decoded instanceof AdminResult r && Long.toString(index).equals(r.value("index"));
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: {} did not answer the recovery-skip question: {}", self, peer.getId(), e.toString());
            return false;
        }
    }
}
