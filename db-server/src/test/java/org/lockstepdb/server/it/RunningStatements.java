package org.lockstepdb.server.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.lockstepdb.server.LockstepNode;

/** H2's own view of a replica running in this JVM: which statements its sessions are executing right now. */
final class RunningStatements {
    private RunningStatements() {
    }

    /**
     * Sessions of {@code node}'s database executing a statement that contains {@code marker} (the owner session
     * asking is excluded).
     */
    static long count(LockstepNode node, String marker) throws SQLException {
        String url = "jdbc:h2:file:" + node.options().databaseDir().resolve("h2/lockstep") + ";DB_CLOSE_ON_EXIT=FALSE";
        try (Connection c = DriverManager.getConnection(url, "LOCKSTEP", "");
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS "
                     + "WHERE EXECUTING_STATEMENT LIKE ? AND SESSION_ID <> SESSION_ID()")) {
            ps.setString(1, "%" + marker + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
