package org.lockstepdb.storage;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.MessageCodec;
import org.lockstepdb.protocol.Reply;

/**
 * The client calls of recent log entries and their replies: {@code LOCKSTEP_SYS.CLIENT_CALLS}, replicated state
 * that makes a write take effect exactly once even when its request reaches the log twice.
 *
 * <p>Why: Ratis' retry cache (in memory, 300 s) is the only other guard. After a leader restart or cache expiry a
 * client's retry becomes a second log entry; and an entry replayed after a clean restart has no result of its
 * own to answer with. So every write entry's (client id, call id) and its encoded reply are stored in the
 * entry's own H2 transaction. An entry whose call is already recorded is not applied again, and its reply is
 * the stored original (same update counts, generated keys, or error). The table is written only by applying
 * log entries and pruned by log index, so it is identical on every replica at every index, and so is every
 * decision taken from it. It is carried in snapshots (format version 2) and kept across a restore through the
 * log; it is excluded from checksums and user dumps like the rest of {@code LOCKSTEP_SYS}.
 *
 * <p>Bounds (constants, identical on every replica; changing them changes which retries are recognized, so
 * they are part of the log's meaning). A call is remembered for the {@link #WINDOW_ENTRIES} log indexes
 * after its entry; one whose encoded reply is larger than {@link #SMALL_REPLY_BYTES} only for
 * {@link #LARGE_WINDOW_ENTRIES}. A reply larger than {@link #MAX_STORED_REPLY_BYTES} is not stored: a retry of
 * that call gets SQLState LS001 saying the write was applied once and its reply cannot be repeated. Worst case
 * about 100,000 × 1 KiB + 1,000 × 64 KiB ≈ 170 MB; typical replies are 20-100 bytes.
 */
final class ClientCallsTable {
    static final String TABLE = AppliedIndexTable.SCHEMA + ".CLIENT_CALLS";
    /** Log indexes a call stays known after its entry: far beyond the driver's 60 s retry limit at any rate seen. */
    static final long WINDOW_ENTRIES = 100_000;
    /** Replies up to this size are kept for the whole window. */
    static final int SMALL_REPLY_BYTES = 1024;
    /** Log indexes a call with a larger reply stays known. */
    static final long LARGE_WINDOW_ENTRIES = 1_000;
    /** Larger replies are replaced by a short "applied, reply too large to repeat" error. */
    static final int MAX_STORED_REPLY_BYTES = 64 * 1024;

    private ClientCallsTable() {
    }

    static void create(Connection owner) throws SQLException {
        try (Statement s = owner.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + AppliedIndexTable.SCHEMA);
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + "(CLIENT_ID VARBINARY(" + ClientCall.MAX_CLIENT_ID_BYTES
                    + ") NOT NULL, CALL_ID BIGINT NOT NULL, LOG_INDEX BIGINT NOT NULL, LARGE BOOLEAN NOT NULL, "
                    + "REPLY VARBINARY NOT NULL, PRIMARY KEY (CLIENT_ID, CALL_ID))");
            s.execute("CREATE INDEX IF NOT EXISTS " + AppliedIndexTable.SCHEMA + ".CLIENT_CALLS_BY_INDEX ON " + TABLE
                    + "(LOG_INDEX)");
            s.execute("CREATE INDEX IF NOT EXISTS " + AppliedIndexTable.SCHEMA + ".CLIENT_CALLS_LARGE ON " + TABLE
                    + "(LARGE, LOG_INDEX)");
        }
        owner.commit();
    }

    /** The stored reply of an earlier entry of this call, if it is still within the window. */
    static Optional<Reply> find(Connection c, ClientCall call) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT REPLY FROM " + TABLE
                + " WHERE CLIENT_ID = ? AND CALL_ID = ?")) {
            ps.setBytes(1, call.clientId());
            ps.setLong(2, call.callId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(MessageCodec.decodeReply(rs.getBytes(1))) : Optional.empty();
            }
        }
    }

    /**
     * Records the call of the entry at {@code index} with its reply, and forgets calls that left the window, in
     * the caller's transaction. The caller has checked that the call is not recorded yet.
     */
    static void record(Connection c, ClientCall call, long index, Reply reply) throws SQLException {
        byte[] encoded = encodeBounded(reply, index);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                + "(CLIENT_ID, CALL_ID, LOG_INDEX, LARGE, REPLY) VALUES (?, ?, ?, ?, ?)")) {
            ps.setBytes(1, call.clientId());
            ps.setLong(2, call.callId());
            ps.setLong(3, index);
            ps.setBoolean(4, encoded.length > SMALL_REPLY_BYTES);
            ps.setBytes(5, encoded);
            ps.executeUpdate();
        }
        prune(c, index);
    }

    /** Deletes what fell out of the window at {@code index}: a range scan of the few rows that just expired. */
    private static void prune(Connection c, long index) throws SQLException {
        try (PreparedStatement all = c.prepareStatement("DELETE FROM " + TABLE + " WHERE LOG_INDEX <= ?");
             PreparedStatement large = c.prepareStatement("DELETE FROM " + TABLE
                     + " WHERE LARGE = TRUE AND LOG_INDEX <= ?")) {
            all.setLong(1, index - WINDOW_ENTRIES);
            all.executeUpdate();
            large.setLong(1, index - LARGE_WINDOW_ENTRIES);
            large.executeUpdate();
        }
    }

    /** The reply's encoding, or if that exceeds the bound, a short error that says what happened. */
    static byte[] encodeBounded(Reply reply, long index) {
        byte[] encoded = MessageCodec.encode(reply);
        if (encoded.length <= MAX_STORED_REPLY_BYTES) {
            return encoded;
        }
        return MessageCodec.encode(new ErrorReply(StoreSqlStates.REPLY_NOT_KEPT, 0, "this request was already applied, "
                + "exactly once, at log index " + index + ", but its reply (" + encoded.length + " bytes) is larger "
                + "than the " + MAX_STORED_REPLY_BYTES + " bytes kept for retries, so this retry cannot repeat it. "
                + "The write is committed: do not run it again"));
    }

    /** Forgets every call (a database seeded for a new cluster, whose log starts again). */
    static void clear(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + TABLE);
        }
    }

    /** Copies every row from one database to another (both tables exist); the caller commits {@code to}. */
    static void copy(Connection from, Connection to) throws SQLException {
        try (Statement s = from.createStatement();
             ResultSet rs = s.executeQuery("SELECT CLIENT_ID, CALL_ID, LOG_INDEX, LARGE, REPLY FROM " + TABLE);
             PreparedStatement ps = to.prepareStatement("INSERT INTO " + TABLE
                     + "(CLIENT_ID, CALL_ID, LOG_INDEX, LARGE, REPLY) VALUES (?, ?, ?, ?, ?)")) {
            int pending = 0;
            while (rs.next()) {
                ps.setBytes(1, rs.getBytes(1));
                ps.setLong(2, rs.getLong(2));
                ps.setLong(3, rs.getLong(3));
                ps.setBoolean(4, rs.getBoolean(4));
                ps.setBytes(5, rs.getBytes(5));
                ps.addBatch();
                if (++pending == 1000) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    /**
     * Writes every row as an INSERT statement of an H2 script (the snapshot section that carries the table),
     * in a fixed order. Reads in the caller's transaction (a pinned snapshot).
     */
    static void exportInserts(Connection c, Writer out) throws SQLException, IOException {
        HexFormat hex = HexFormat.of();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CLIENT_ID, CALL_ID, LOG_INDEX, LARGE, REPLY FROM " + TABLE
                     + " ORDER BY LOG_INDEX, CLIENT_ID, CALL_ID")) {
            while (rs.next()) {
                out.write("INSERT INTO " + TABLE + "(CLIENT_ID, CALL_ID, LOG_INDEX, LARGE, REPLY) VALUES (X'"
                        + hex.formatHex(rs.getBytes(1)) + "', " + rs.getLong(2) + ", " + rs.getLong(3) + ", "
                        + rs.getBoolean(4) + ", X'" + hex.formatHex(rs.getBytes(5)) + "');\n");
            }
        }
    }
}
