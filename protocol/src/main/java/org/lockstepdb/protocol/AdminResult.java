package org.lockstepdb.protocol;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The answer to an {@link AdminRequest}: named values and optional bulk bytes. */
public record AdminResult(Map<String, String> values, byte[] payload) implements Reply {
    public AdminResult {
        values = new TreeMap<>(values);
        payload = payload == null ? new byte[0] : payload;
    }

    public static AdminResult of(Map<String, String> values) {
        return new AdminResult(values, new byte[0]);
    }

    public String value(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new ProtocolException("admin result lacks '" + name + "'");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdminResult a && values.equals(a.values) && Arrays.equals(payload, a.payload);
    }

    @Override
    public int hashCode() {
        return values.hashCode() * 31 + Arrays.hashCode(payload);
    }
}
