package org.lockstepdb.server.raft;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.ratis.protocol.RaftGroupId;

/**
 * The Raft group id of a cluster, derived from its name so every node started with the same name joins the
 * same group without anyone passing a UUID around. Clients never need it: they discover it from any node.
 */
public final class ClusterIdentity {
    public static final String DEFAULT_NAME = "lockstep";

    private ClusterIdentity() {
    }

    public static RaftGroupId groupId(String clusterName) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("lockstepdb-cluster:" + clusterName).getBytes(StandardCharsets.UTF_8)));
    }
}
