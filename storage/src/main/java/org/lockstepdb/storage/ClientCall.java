package org.lockstepdb.storage;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity of one client call that produced a log entry: Ratis' client id (the bytes of a random UUID,
 * new for every {@code RaftClient} instance) and the call id (a counter that a client reuses only when it
 * retries the same request). Together they identify a request across retries, leader changes and restarts,
 * and they are in the log entry itself, so every replica sees the same pair.
 *
 * @param clientId 1 to {@link #MAX_CLIENT_ID_BYTES} bytes (Ratis: 16)
 * @param callId   any value; Ratis uses a non-negative counter
 */
public record ClientCall(byte[] clientId, long callId) {
    public static final int MAX_CLIENT_ID_BYTES = 64;

    public ClientCall {
        if (clientId == null || clientId.length == 0 || clientId.length > MAX_CLIENT_ID_BYTES) {
            throw new IllegalArgumentException("clientId must be 1.." + MAX_CLIENT_ID_BYTES + " bytes");
        }
        clientId = clientId.clone();
    }

    @Override
    public byte[] clientId() {
        return clientId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientCall c && c.callId == callId && Arrays.equals(c.clientId, clientId);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(clientId) + Long.hashCode(callId);
    }

    @Override
    public String toString() {
        return "client " + HexFormat.of().formatHex(clientId) + " call " + callId;
    }
}
