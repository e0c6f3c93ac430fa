package org.lockstepdb.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An administrative operation: sent through the log when every replica must act at the same index (e.g.
 * {@code verify}), or as a read to one replica (e.g. {@code verify-result}). Operations are named so that new
 * ones extend the format without a new message kind; a replica refuses a name it does not know.
 *
 * @param parameters small named arguments
 * @param payload    bulk bytes (e.g. a chunk of a backup); empty when unused
 */
public record AdminRequest(String operation, Map<String, String> parameters, byte[] payload) implements Request {
    public AdminRequest {
        Objects.requireNonNull(operation, "operation");
        parameters = new TreeMap<>(parameters); // sorted: the encoding is deterministic
        payload = payload == null ? new byte[0] : payload;
    }

    public static AdminRequest of(String operation, Map<String, String> parameters) {
        return new AdminRequest(operation, parameters, new byte[0]);
    }

    public String parameter(String name) {
        String v = parameters.get(name);
        if (v == null) {
            throw new ProtocolException("admin operation " + operation + " needs parameter '" + name + "'");
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
        return o instanceof AdminRequest a && operation.equals(a.operation) && parameters.equals(a.parameters)
                && Arrays.equals(payload, a.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(operation, parameters) * 31 + Arrays.hashCode(payload);
    }
}
