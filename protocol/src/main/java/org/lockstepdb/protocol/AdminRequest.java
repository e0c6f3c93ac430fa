package org.lockstepdb.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An administrative operation ({@link AdminOperation}): sent through the log when every replica must act at the
 * same index (e.g. {@code verify}), or as a read to one replica (e.g. {@code verify-result}). Operations are
 * named on the wire so that new ones extend the format without a new message kind; a replica refuses a name it
 * does not know, which is why the name is kept as received.
 *
 * @param operationName the operation's {@link AdminOperation#wireName() wire name}; senders use the
 *                      {@link AdminOperation} constructor, the decoder this one
 * @param parameters    small named arguments
 * @param payload       bulk bytes (e.g. a chunk of a backup); empty when unused
 */
public record AdminRequest(String operationName, Map<String, String> parameters, byte[] payload) implements Request {
    public AdminRequest {
        Objects.requireNonNull(operationName, "operationName");
        parameters = new TreeMap<>(parameters); // sorted: the encoding is deterministic
        payload = payload == null ? new byte[0] : payload;
    }

    public AdminRequest(AdminOperation operation, Map<String, String> parameters, byte[] payload) {
        this(operation.wireName(), parameters, payload);
    }

    public static AdminRequest of(AdminOperation operation, Map<String, String> parameters) {
        return new AdminRequest(operation, parameters, new byte[0]);
    }

    /** The operation; empty if the name is not one this version knows (the replica refuses it). */
    public Optional<AdminOperation> operation() {
        return AdminOperation.named(operationName);
    }

    /** True for a known operation that is applied through the log. */
    public boolean throughLog() {
        return operation().map(AdminOperation::throughLog).orElse(false);
    }

    public boolean is(AdminOperation operation) {
        return operationName.equals(operation.wireName());
    }

    public String parameter(String name) {
        String v = parameters.get(name);
        if (v == null) {
            throw new ProtocolException("admin operation " + operationName + " needs parameter '" + name + "'");
        }
        return v;
    }

    public long longParameter(String name) {
        try {
            return Long.parseLong(parameter(name));
        } catch (NumberFormatException e) {
            throw new ProtocolException("admin parameter '" + name + "' must be a number");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdminRequest a && operationName.equals(a.operationName) && parameters.equals(a.parameters)
                && Arrays.equals(payload, a.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(operationName, parameters) * 31 + Arrays.hashCode(payload);
    }
}
