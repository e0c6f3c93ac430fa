package org.lockstepdb.jdbc;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.lockstepdb.jdbc.ServerErrorTranslation.NO_CONNECTION;

/**
 * Finds the cluster's Raft group (peer ids and addresses) from addresses alone. For each address in order it
 * builds a throw-away client whose group holds one peer with a placeholder id at that address, and asks it
 * {@code GroupManagementApi.list()} then {@code info(groupId)}: the Ratis server answers these without checking
 * the server id the request names ({@code RaftServerProxy.getGroupList/getGroupInfoAsync}).
 */
final class PeerDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDiscovery.class);

    /** The group, and the leader the answering server knew of (null if none). */
    record Discovered(RaftGroup group, RaftPeerId leaderId, String answeredBy) {
    }

    /**
     * A placeholder group for the probe client (the real group id is what we are asking for). Not Ratis'
     * empty group id: the client refuses to send anything with that one.
     */
    private static final RaftGroupId PROBE_GROUP = RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
            "lockstepdb-discovery-probe".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    private PeerDiscovery() {
    }

    static Discovered discover(List<String> addresses, long connectTimeoutMillis, RaftProperties base)
            throws SQLException {
        List<String> failures = new ArrayList<>();
        for (String address : addresses) {
            try {
                return probe(address, connectTimeoutMillis, base);
            } catch (SQLNonTransientConnectionException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                LOG.debug("LockstepDB discovery: {} did not answer", address, e);
                failures.add(address + " (" + describe(e) + ")");
            }
        }
        throw new SQLTransientConnectionException("Cannot connect to the LockstepDB cluster: no server answered "
                + "within " + connectTimeoutMillis + " ms; tried " + String.join(", ", failures), NO_CONNECTION);
    }

    private static Discovered probe(String address, long timeoutMillis, RaftProperties base)
            throws IOException, SQLException {
        RaftPeerId probeId = RaftPeerId.valueOf("probe-" + address.replaceAll("[^A-Za-z0-9]", "_"));
        RaftPeer peer = RaftPeer.newBuilder().setId(probeId).setAddress(address).build();
        RaftProperties props = new RaftProperties(base);
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(timeoutMillis, TimeUnit.MILLISECONDS));
        try (RaftClient probe = RaftClient.newBuilder()
                .setProperties(props)
                .setRaftGroup(RaftGroup.valueOf(PROBE_GROUP, peer))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(1,
                        TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build()) {
            List<RaftGroupId> groups = probe.getGroupManagementApi(probeId).list().getGroupIds();
            if (groups.isEmpty()) {
                throw new IOException("the server is in no Raft group yet");
            }
            if (groups.size() > 1) {
                throw new SQLNonTransientConnectionException("The server at " + address + " serves "
                        + groups.size() + " Raft groups " + groups + "; a LockstepDB server serves exactly one",
                        NO_CONNECTION);
            }
            GroupInfoReply info = probe.getGroupManagementApi(probeId).info(groups.get(0));
            RaftGroup group = info.getGroup();
            if (group == null || group.getPeers().isEmpty()) {
                throw new IOException("the server reported an empty Raft group");
            }
            return new Discovered(group, leaderOf(info.getRoleInfoProto(), group), address);
        }
    }

    /** The leader the answering server knows of, if that peer is in the group. */
    static RaftPeerId leaderOf(RoleInfoProto role, RaftGroup group) {
        if (role == null) {
            return null;
        }
        RaftPeerId id = null;
        if (role.getRole() == RaftPeerRole.LEADER && role.hasSelf()) {
            id = RaftPeerId.valueOf(role.getSelf().getId());
        } else if (role.hasFollowerInfo() && role.getFollowerInfo().hasLeaderInfo()
                && !role.getFollowerInfo().getLeaderInfo().getId().getId().isEmpty()) {
            id = RaftPeerId.valueOf(role.getFollowerInfo().getLeaderInfo().getId().getId());
        }
        return id != null && group.getPeer(id) != null ? id : null;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + firstLine(msg));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
