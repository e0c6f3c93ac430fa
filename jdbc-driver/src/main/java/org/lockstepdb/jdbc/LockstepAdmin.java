package org.lockstepdb.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.ratis.protocol.RaftPeer;
import org.lockstepdb.protocol.AdminRequest;
import org.lockstepdb.protocol.AdminResult;

/**
 * Administrative operations for operators and tools ({@code lockstep admin}, the shell's dot-commands).
 * Obtained from {@code connection.unwrap(LockstepConnection.class).admin()}.
 */
public final class LockstepAdmin {
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
     * Puts a {@code verify} entry in the log: each replica computes its checksum when it applies that entry,
     * so all checksums describe the same log index. Then asks every replica for its result (waiting, bounded,
     * for a lagging replica to reach the index).
     */
    public VerifyReport verify() throws SQLException {
        AdminResult leader = cluster.adminThroughLog(AdminRequest.of("verify", Map.of()));
        long index = Long.parseLong(leader.value("index"));
        List<ReplicaChecksum> answers = new ArrayList<>();
        for (RaftPeer peer : cluster.group().getPeers()) {
            String replica = peer.getId().toString();
            try {
                AdminResult r = cluster.adminRead(
                        AdminRequest.of("verify-result", Map.of("index", Long.toString(index))), peer.getId(), index);
                answers.add(new ReplicaChecksum(replica, peer.getAddress(), r.value("checksum"), null));
            } catch (SQLException e) {
                answers.add(new ReplicaChecksum(replica, peer.getAddress(), null, e.getMessage()));
            }
        }
        return new VerifyReport(index, answers);
    }
}
