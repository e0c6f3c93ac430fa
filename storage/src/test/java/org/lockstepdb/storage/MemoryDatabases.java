package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Sessions on in-memory H2 databases for tests of H2's own behaviour. */
final class MemoryDatabases {
    private MemoryDatabases() {
    }

    /**
     * A session on the in-memory database {@code url} (e.g. {@code "locks;DB_CLOSE_DELAY=-1"}), with autocommit
     * off, after running {@code settings}.
     */
    static Connection session(String url, String... settings) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:mem:" + url, "sa", "");
        try (Statement s = c.createStatement()) {
            for (String setting : settings) {
                s.execute(setting);
            }
        }
        c.setAutoCommit(false);
        return c;
    }
}
