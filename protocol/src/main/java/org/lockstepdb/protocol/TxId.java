package org.lockstepdb.protocol;

/**
 * Names one interactive transaction: the client that runs it and that client's transaction counter. It keys
 * RAND()/UUID() inside the transaction (with the statement's ordinal), so its speculation and its commit draw
 * the same values.
 *
 * @param clientId the driver's client id (non-empty)
 * @param sequence the client's transaction number, unique per client
 */
public record TxId(String clientId, long sequence) {
    public TxId {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("a transaction id needs a client id");
        }
    }

    @Override
    public String toString() {
        return clientId + "/" + sequence;
    }
}
