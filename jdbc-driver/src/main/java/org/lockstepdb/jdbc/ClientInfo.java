package org.lockstepdb.jdbc;

import java.util.Properties;

/** A connection's client info ({@code setClientInfo}): kept in the driver, never sent to the cluster. */
final class ClientInfo {
    private final Properties values = new Properties();

    synchronized void set(String name, String value) {
        if (value == null) {
            values.remove(name);
        } else {
            values.setProperty(name, value);
        }
    }

    synchronized void replaceAll(Properties properties) {
        values.clear();
        if (properties != null) {
            for (String name : properties.stringPropertyNames()) {
                values.setProperty(name, properties.getProperty(name));
            }
        }
    }

    synchronized String get(String name) {
        return values.getProperty(name);
    }

    synchronized Properties copy() {
        Properties p = new Properties();
        p.putAll(values);
        return p;
    }
}
