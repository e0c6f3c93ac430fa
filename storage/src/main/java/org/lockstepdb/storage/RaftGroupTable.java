package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The Raft group whose log this database applies: one row in {@code LOCKSTEP_SYS.RAFT_GROUP}, written at the
 * first start. Why: the applied index means something only in one group's log; a data directory started under
 * another group (another {@code --cluster} name, a copied directory) would otherwise skip that log's first
 * entries as "already applied". Local to the replica: not in checksums or snapshots (a database rebuilt from a
 * snapshot is bound again by the replica that installs it).
 */
final class RaftGroupTable {
    private static final String TABLE = AppliedIndexTable.SCHEMA + ".RAFT_GROUP";

    private RaftGroupTable() {
    }

    static void create(Connection owner) throws SQLException {
        try (Statement s = owner.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + AppliedIndexTable.SCHEMA);
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + "(ID INT PRIMARY KEY, GROUP_ID VARCHAR(200) NOT NULL)");
        }
        owner.commit();
    }

    static Optional<String> read(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT GROUP_ID FROM " + TABLE + " WHERE ID = 1")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }

    /** Records the group in the caller's transaction; the caller commits. */
    static void write(Connection c, String groupId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO " + TABLE + " KEY(ID) VALUES (1, ?)")) {
            ps.setString(1, groupId);
            ps.executeUpdate();
        }
    }
}
