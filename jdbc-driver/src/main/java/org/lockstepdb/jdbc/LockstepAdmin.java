package org.lockstepdb.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.lockstepdb.protocol.AdminOperation;
import org.lockstepdb.protocol.AdminRequest;
import org.lockstepdb.protocol.AdminResult;

/**
 * Administrative operations for operators and tools ({@code lockstep admin}, the shell's dot-commands).
 * Obtained from {@code connection.unwrap(LockstepConnection.class).admin()}.
 */
public final class LockstepAdmin {
    /** Backup and restore move data in chunks of this size: well under any message or log entry limit. */
    public static final int CHUNK_BYTES = 1024 * 1024;
    private static final long POLL_MILLIS = 200;
    /** How long snapshot and backup wait for a replica's background copy. */
    private static final long COPY_WAIT_MILLIS = 30 * 60 * 1000L;

    private final ClusterClient cluster;

    LockstepAdmin(ClusterClient cluster) {
        this.cluster = cluster;
    }

    /** One replica's answer to {@link #verify()}: its checksum, or why it has none. */
    public record ReplicaChecksum(String replica, String address, String checksum, String error) {
        public boolean answered() {
            return checksum != null;
        }
    }

    /** Every replica's checksum of all user data at one log index. */
    public record VerifyReport(long index, List<ReplicaChecksum> replicas) {
        /** True when every replica answered and all checksums are equal. */
        public boolean consistent() {
            return replicas.stream().allMatch(ReplicaChecksum::answered)
                    && replicas.stream().map(ReplicaChecksum::checksum).distinct().count() == 1;
        }
    }

    /**
     * One replica's state: {@code role}, {@code term}, {@code leader}, {@code applied} (Raft's applied index),
     * {@code storeIndex} (the last SQL entry in its database), {@code snapshot} (latest snapshot index); or
     * why it did not answer.
     */
    public record ReplicaStatus(String replica, String address, Map<String, String> values, String error) {
        public boolean answered() {
            return values != null;
        }
    }

    /** Asks every replica for its state (a read on each; no log entry). */
    public List<ReplicaStatus> status() {
        List<ReplicaStatus> answers = new ArrayList<>();
        for (RaftPeer peer : cluster.group().getPeers()) {
            try {
                AdminResult r = cluster.adminRead(AdminRequest.of(AdminOperation.STATUS, Map.of()), peer.getId(), 0);
                answers.add(new ReplicaStatus(peer.getId().toString(), peer.getAddress(), r.values(), null));
            } catch (SQLException e) {
                answers.add(new ReplicaStatus(peer.getId().toString(), peer.getAddress(), null, e.getMessage()));
            }
        }
        return answers;
    }

    /**
     * Adds a replica: a server started with {@code lockstep server --join} at {@code address}. Ratis first
     * brings it up to date (it installs the leader's snapshot, then follows the log) and only then makes it
     * a voting member, so the cluster's majority never depends on a replica that is still catching up.
     */
    public void addReplica(String replica, String address) throws SQLException {
        if (cluster.group().getPeer(RaftPeerId.valueOf(replica)) != null) {
            throw new SQLNonTransientException("replica '" + replica + "' is already a member", "42710");
        }
        List<RaftPeer> members = new ArrayList<>(cluster.group().getPeers());
        members.add(RaftPeer.newBuilder().setId(replica).setAddress(address).build());
        cluster.setMembers(members);
    }

    /** Removes a replica from the cluster; its server stops serving the group (stop its process afterwards). */
    public void removeReplica(String replica) throws SQLException {
        RaftPeer gone = peer(replica);
        List<RaftPeer> members = new ArrayList<>(cluster.group().getPeers());
        members.remove(gone);
        if (members.isEmpty()) {
            throw new SQLNonTransientException("cannot remove the last replica", "42000");
        }
        cluster.setMembers(members);
    }

    /**
     * Moves leadership to {@code replica}. Ratis only hands leadership to a peer of the highest priority, so the
     * target's priority is raised for the transfer and all priorities are made equal again afterwards (so a
     * later election is free to choose any replica).
     */
    public void transferLeadership(String replica) throws SQLException {
        RaftPeerId target = peer(replica).getId();
        cluster.setMembers(withPriorities(target, 1));
        try {
            cluster.transferLeadership(target);
        } finally {
            cluster.setMembers(withPriorities(target, 0));
        }
    }

    private List<RaftPeer> withPriorities(RaftPeerId target, int targetPriority) {
        List<RaftPeer> members = new ArrayList<>();
        for (RaftPeer p : cluster.group().getPeers()) {
            members.add(RaftPeer.newBuilder(p).setPriority(p.getId().equals(target) ? targetPriority : 0).build());
        }
        return members;
    }

    /** A finished backup: the log index it holds, its size and SHA-256, and the replica that wrote it. */
    public record BackupInfo(long index, long sizeBytes, String sha256, String replica) {
    }

    /**
     * Puts a {@code verify} entry in the log: each replica computes its checksum when it applies that entry,
     * so all checksums describe the same log index. Then asks every replica for its result (waiting, bounded,
     * for a lagging replica to reach the index).
     */
    public VerifyReport verify() throws SQLException {
        AdminResult leader = cluster.adminThroughLog(AdminRequest.of(AdminOperation.VERIFY, Map.of()));
        long index = Long.parseLong(leader.value("index"));
        List<ReplicaChecksum> answers = new ArrayList<>();
        for (RaftPeer peer : cluster.group().getPeers()) {
            String replica = peer.getId().toString();
            try {
                AdminResult r = verifyResult(peer.getId(), index);
                answers.add(new ReplicaChecksum(replica, peer.getAddress(), r.value("checksum"), null));
            } catch (SQLException e) {
                answers.add(new ReplicaChecksum(replica, peer.getAddress(), null, e.getMessage()));
            }
        }
        return new VerifyReport(index, answers);
    }

    /** A replica computes its checksum in the background: ask until it is no longer pending (bounded). */
    private AdminResult verifyResult(RaftPeerId peer, long index) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COPY_WAIT_MILLIS);
        while (true) {
            AdminResult r = cluster.adminRead(
                    AdminRequest.of(AdminOperation.VERIFY_RESULT, Map.of("index", Long.toString(index))), peer, index);
            if (!"true".equals(r.values().get("pending"))) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new SQLTimeoutException("replica " + peer + " was still computing its checksum after "
                        + COPY_WAIT_MILLIS / 1000 + " s", "HYT00");
            }
            // the server already waited a while before answering "pending": ask again at once
        }
    }

    /**
     * Takes a snapshot now on the given replica (null: the leader) and waits until it is written; returns the
     * log index it holds. Ratis then purges the log up to it.
     */
    public long snapshot(String replica) throws SQLException {
        // Any server takes a snapshot it is asked for, leader or not: name the leader explicitly.
        RaftPeerId target = replica == null ? cluster.leaderId() : peer(replica).getId();
        long deadline = System.currentTimeMillis() + COPY_WAIT_MILLIS;
        while (true) {
            long latest = cluster.createSnapshot(target);
            AdminResult status = cluster.adminRead(AdminRequest.of(AdminOperation.SNAPSHOT_STATUS, Map.of()), target, 0);
            if (latest >= 0 && Long.parseLong(status.value("exporting")) < 0
                    && latest == Long.parseLong(status.value("latest"))) {
                return latest;
            }
            waitOrFail(deadline, "the snapshot");
        }
    }

    /**
     * Writes a consistent online backup of the whole database to {@code out}: a replica (null: a follower, so
     * the leader keeps its resources for writes) pins one log index through the log and copies it in the
     * background; the file is then fetched in {@link #CHUNK_BYTES} chunks and checked against its SHA-256.
     */
    public BackupInfo backup(Path out, String replica) throws SQLException {
        RaftPeer source = replica == null ? aFollower() : peer(replica);
        String id = "b" + UUID.randomUUID().toString().replace("-", "");
        AdminResult started = cluster.adminThroughLog(
                AdminRequest.of(AdminOperation.BACKUP, Map.of("node", source.getId().toString(), "id", id)));
        long pinnedAt = Long.parseLong(started.value("index"));
        long deadline = System.currentTimeMillis() + COPY_WAIT_MILLIS;
        AdminResult status;
        while (!Boolean.parseBoolean((status = backupRead(source, AdminOperation.BACKUP_STATUS, id, pinnedAt, Map.of())).value("done"))) {
            waitOrFail(deadline, "the backup copy on " + source.getId());
        }
        long size = Long.parseLong(status.value("size"));
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        MessageDigest sha = sha256();
        try (OutputStream file = Files.newOutputStream(partial)) {
            for (long offset = 0; offset < size; ) {
                AdminResult chunk = backupRead(source, AdminOperation.BACKUP_CHUNK, id, pinnedAt,
                        Map.of("offset", Long.toString(offset), "length", Integer.toString(CHUNK_BYTES)));
                if (chunk.payload().length == 0) {
                    throw new SQLNonTransientException("backup file on " + source.getId() + " ended early at " + offset, "58030");
                }
                file.write(chunk.payload());
                sha.update(chunk.payload());
                offset += chunk.payload().length;
            }
        } catch (IOException e) {
            throw new SQLNonTransientException("cannot write " + partial + ": " + e.getMessage(), "58030", e);
        } finally {
            try {
                backupRead(source, AdminOperation.BACKUP_DELETE, id, pinnedAt, Map.of());
            } catch (SQLException e) {
                // the replica keeps a stray backup file; harmless, and the copy we have is what matters
            }
        }
        String received = HexFormat.of().formatHex(sha.digest());
        if (!received.equals(status.value("sha256"))) {
            throw new SQLNonTransientException("backup transfer corrupted: SHA-256 " + received + " != "
                    + status.value("sha256"), "58030");
        }
        try {
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SQLNonTransientException("cannot move the backup to " + out + ": " + e.getMessage(), "58030", e);
        }
        return new BackupInfo(Long.parseLong(status.value("index")), size, received, source.getId().toString());
    }

    /**
     * Replaces the whole database on every replica with a backup's contents, through the log: the file is
     * staged on every replica in chunks, then one commit entry swaps it in at one log index everywhere (a
     * reader sees all old or all new data). The replicas check the file's SHA-256 and format before the swap;
     * a bad file changes nothing. Returns the log index of the swap.
     */
    public long restore(Path in) throws SQLException {
        String id = "r" + UUID.randomUUID().toString().replace("-", "");
        MessageDigest sha = sha256();
        try (InputStream file = Files.newInputStream(in)) {
            byte[] buffer = new byte[CHUNK_BYTES];
            long offset = 0;
            for (int n; (n = file.readNBytes(buffer, 0, buffer.length)) > 0; offset += n) {
                byte[] chunk = n == buffer.length ? buffer.clone() : java.util.Arrays.copyOf(buffer, n);
                sha.update(chunk);
                cluster.adminThroughLog(new AdminRequest(AdminOperation.RESTORE_CHUNK,
                        Map.of("id", id, "offset", Long.toString(offset)), chunk));
            }
        } catch (IOException e) {
            abortQuietly(id);
            throw new SQLNonTransientException("cannot read " + in + ": " + e.getMessage(), "58030", e);
        } catch (SQLException e) {
            abortQuietly(id);
            throw e;
        }
        AdminResult committed = cluster.adminThroughLog(AdminRequest.of(AdminOperation.RESTORE_COMMIT,
                Map.of("id", id, "sha256", HexFormat.of().formatHex(sha.digest()))));
        long index = Long.parseLong(committed.value("index"));
        awaitAppliedEverywhere(index);
        return index;
    }

    /**
     * Waits (each bounded by the URL's timeout) until every reachable replica has applied {@code index}, so that
     * when a restore returns, the replicas hold the restored data. A replica that is down applies it when it
     * comes back, from the log.
     */
    private void awaitAppliedEverywhere(long index) {
        for (RaftPeer peer : cluster.group().getPeers()) {
            try {
                cluster.adminRead(AdminRequest.of(AdminOperation.SNAPSHOT_STATUS, Map.of()), peer.getId(), index);
            } catch (SQLException e) {
                // unreachable now; it catches up from the log when it returns
            }
        }
    }

    /**
     * Abandons every restore being staged (e.g. after a restore client was killed mid-upload): staging blocks
     * snapshots, so the log cannot be purged until it is committed or aborted. Changes no data.
     */
    public long abortStagedRestores() throws SQLException {
        return Long.parseLong(cluster.adminThroughLog(AdminRequest.of(AdminOperation.RESTORE_ABORT, Map.of())).value("index"));
    }

    private void abortQuietly(String id) {
        try {
            cluster.adminThroughLog(AdminRequest.of(AdminOperation.RESTORE_ABORT, Map.of("id", id)));
        } catch (SQLException e) {
            // staging of this id stays until the next restore commits or aborts; it changes no data
        }
    }

    private AdminResult backupRead(RaftPeer source, AdminOperation operation, String id, long minIndex,
                                   Map<String, String> extra) throws SQLException {
        Map<String, String> params = new java.util.HashMap<>(extra);
        params.put("id", id);
        return cluster.adminRead(AdminRequest.of(operation, params), source.getId(), minIndex);
    }

    private RaftPeer peer(String replica) throws SQLException {
        RaftPeer p = cluster.group().getPeer(RaftPeerId.valueOf(replica));
        if (p == null) {
            throw new SQLNonTransientException("no replica '" + replica + "' in " + cluster.group().getPeers(), "42704");
        }
        return p;
    }

    private RaftPeer aFollower() {
        RaftPeerId leader = cluster.leaderId();
        return cluster.group().getPeers().stream().filter(p -> !p.getId().equals(leader)).findFirst()
                .orElse(cluster.group().getPeers().iterator().next());
    }

    private static void waitOrFail(long deadline, String what) throws SQLException {
        if (System.currentTimeMillis() > deadline) {
            throw new java.sql.SQLTimeoutException("gave up waiting for " + what, "HYT00");
        }
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.sql.SQLTransientException("interrupted while waiting for " + what, "08006", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
