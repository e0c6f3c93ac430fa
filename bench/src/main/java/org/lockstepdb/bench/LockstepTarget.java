package org.lockstepdb.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Connections to a LockstepDB cluster through the JDBC driver ({@code jdbc:lockstep://...}). */
public final class LockstepTarget {
    private final String url;

    public LockstepTarget(String url) {
        if (url == null || !url.startsWith("jdbc:lockstep:")) {
            throw new IllegalArgumentException("not a LockstepDB URL (jdbc:lockstep://host:port,...): " + url);
        }
        this.url = url;
    }

    public String url() {
        return url;
    }

    /** Connections as given by the URL (writes). */
    public WorkloadRunner.ConnectionSource plain() {
        return () -> DriverManager.getConnection(url);
    }

    /** Connections whose reads use {@code read=<consistency>} (linearizable, follower, stale). */
    public WorkloadRunner.ConnectionSource reading(String consistency) {
        String withRead = withOption(url, "read", consistency);
        return () -> DriverManager.getConnection(withRead);
    }

    /**
     * {@code url} with {@code name=value} as its only {@code name} option: appended after {@code ?} or {@code &}
     * as the URL requires; an existing option of that name (any case) is replaced.
     */
    public static String withOption(String url, String name, String value) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        StringBuilder query = new StringBuilder();
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("[&;]")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                if (key.equalsIgnoreCase(name)) {
                    continue;
                }
                query.append(query.length() == 0 ? "" : "&").append(pair);
            }
        }
        query.append(query.length() == 0 ? "" : "&").append(name).append('=').append(value);
        return base + "?" + query;
    }
}
