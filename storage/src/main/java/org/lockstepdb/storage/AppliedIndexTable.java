package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The stored applied index: one row in {@code LOCKSTEP_SYS.APPLIED}. It lives in its own schema so that
 * checksums and user DDL leave it alone, and it is written in the same H2 transaction as an entry's effects so
 * that replay after a clean restart applies every entry exactly once.
 */
final class AppliedIndexTable {
    static final String SCHEMA = SystemSchemas.STATE;
    static final String TABLE = SCHEMA + ".APPLIED";

    private AppliedIndexTable() {
    }

    static void create(Connection owner) throws SQLException {
        try (Statement s = owner.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                    + "(ID INT PRIMARY KEY, TERM BIGINT NOT NULL, LOG_INDEX BIGINT NOT NULL)");
            s.execute("MERGE INTO " + TABLE + " KEY(ID) SELECT 1, 0, -1 WHERE NOT EXISTS (SELECT 1 FROM " + TABLE + ")");
        }
        owner.commit();
    }

    static AppliedIndex read(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TERM, LOG_INDEX FROM " + TABLE + " WHERE ID = 1")) {
            if (!rs.next()) {
                throw new SQLException("missing row in " + TABLE);
            }
            return new AppliedIndex(rs.getLong(1), rs.getLong(2));
        }
    }

    /**
     * Sets the row inside the caller's transaction; the caller commits. A MERGE, not an UPDATE: should the row
     * ever be missing, recording an entry recreates it rather than failing every replica at the same index.
     */
    static void write(Connection c, long term, long index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO " + TABLE + " KEY(ID) VALUES (1, ?, ?)")) {
            ps.setLong(1, term);
            ps.setLong(2, index);
            ps.executeUpdate();
        }
    }
}
