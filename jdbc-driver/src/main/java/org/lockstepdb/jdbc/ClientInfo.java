package org.lockstepdb.jdbc;

import java.util.Properties;

/**
 * A connection's client info ({@code Connection.setClientInfo}): kept in the driver only, never sent (the servers
 * have no sessions to attach it to). A null value removes a name. Thread-safe ({@link Properties} is).
 */
final class ClientInfo {
    private final Properties values = new Properties();

    void set(String name, String value) {
        if (value == null) {
            values.remove(name);
        } else {
            values.setProperty(name, value);
        }
    }

    /** Replaces all values with {@code properties} (null: none). */
    void setAll(Properties properties) {
        values.clear();
        if (properties != null) {
            for (String name : properties.stringPropertyNames()) {
                values.setProperty(name, properties.getProperty(name));
            }
        }
    }

    String get(String name) {
        return values.getProperty(name);
    }

    /** A copy. */
    Properties all() {
        Properties p = new Properties();
        p.putAll(values);
        return p;
    }
}
