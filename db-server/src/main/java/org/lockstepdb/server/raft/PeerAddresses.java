package org.lockstepdb.server.raft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/** The cluster's members as given on the command line: {@code n1=127.0.0.1:9401,n2=127.0.0.1:9402,...}. */
public final class PeerAddresses {
    private final Map<String, String> addressById;

    private PeerAddresses(Map<String, String> addressById) {
        this.addressById = addressById;
    }

    public static PeerAddresses parse(String spec) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException("peer '" + p + "' is not of the form id=host:port");
            }
            String id = p.substring(0, eq).trim();
            String address = p.substring(eq + 1).trim();
            checkAddress(id, address);
            if (map.put(id, address) != null) {
                throw new IllegalArgumentException("peer id '" + id + "' appears twice");
            }
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("no peers given");
        }
        return new PeerAddresses(map);
    }

    public static PeerAddresses of(Map<String, String> addressById) {
        addressById.forEach(PeerAddresses::checkAddress);
        return new PeerAddresses(new LinkedHashMap<>(addressById));
    }

    private static void checkAddress(String id, String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address of peer '" + id + "' must be host:port, not '" + address + "'");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of peer '" + id + "' must be 1..65535 in '" + address + "'");
        }
    }

    public String addressOf(String id) {
        String a = addressById.get(id);
        if (a == null) {
            throw new IllegalArgumentException("id '" + id + "' is not among the peers " + addressById.keySet());
        }
        return a;
    }

    public String hostOf(String id) {
        String a = addressOf(id);
        return a.substring(0, a.lastIndexOf(':'));
    }

    public int portOf(String id) {
        String a = addressOf(id);
        return Integer.parseInt(a.substring(a.lastIndexOf(':') + 1));
    }

    public List<RaftPeer> toRaftPeers() {
        List<RaftPeer> peers = new ArrayList<>();
        addressById.forEach((id, address) ->
                peers.add(RaftPeer.newBuilder().setId(RaftPeerId.valueOf(id)).setAddress(address).build()));
        return peers;
    }

    /** The JDBC URL that reaches this cluster. */
    public String jdbcUrl() {
        return "jdbc:lockstep://" + String.join(",", addressById.values());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        addressById.forEach((id, a) -> sb.append(sb.length() == 0 ? "" : ",").append(id).append('=').append(a));
        return sb.toString();
    }
}
