package org.lockstepdb.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups being uploaded through the log, chunk by chunk, before a restore commits them.
 *
 * <p>Exactly once with the applied index: the number of bytes staged for each restore is kept in
 * {@code LOCKSTEP_SYS.RESTORE_STAGING}, written in the same H2 transaction as the applied index. The file
 * {@code dir/restore-staging/<id>.part} may hold more bytes than recorded (a crash between the file write and
 * the commit); every chunk first truncates the file to the recorded length, so replaying the entry writes the
 * same bytes again. The file is forced to disk before the commit, so it never holds fewer bytes than recorded
 * unless the disk lost data (a replica failure).
 *
 * <p>Snapshots are refused while any restore is staged (see {@link SnapshotExport#begin(SqlStore)}): a replica that
 * installs a snapshot therefore finds every chunk of a staged restore in the log after it.
 */
final class RestoreStaging {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreStaging.class);
    static final String DIR = "restore-staging";
    private static final String TABLE = AppliedIndexTable.SCHEMA + ".RESTORE_STAGING";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path dir;

    RestoreStaging(Path storeDir) {
        this.dir = storeDir.resolve(DIR);
    }

    static boolean isValidId(String restoreId) {
        return restoreId != null && ID.matcher(restoreId).matches();
    }

    Path file(String restoreId) {
        if (!isValidId(restoreId)) {
            throw new IllegalArgumentException("invalid restore id");
        }
        return dir.resolve(restoreId + ".part");
    }

    static void createTable(Connection owner) throws SQLException {
        try (Statement s = owner.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + "(RESTORE_ID VARCHAR(64) PRIMARY KEY, "
                    + "STAGED_BYTES BIGINT NOT NULL, FIRST_INDEX BIGINT NOT NULL, LAST_INDEX BIGINT NOT NULL)");
        }
        owner.commit();
    }

    static List<StagedRestore> list(Connection c) throws SQLException {
        List<StagedRestore> all = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT RESTORE_ID, STAGED_BYTES, FIRST_INDEX, LAST_INDEX FROM " + TABLE
                     + " ORDER BY RESTORE_ID")) {
            while (rs.next()) {
                all.add(new StagedRestore(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
        }
        return all;
    }

    /** @return the recorded length, or -1 if the restore id is not staged */
    static long stagedBytes(Connection c, String restoreId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT STAGED_BYTES FROM " + TABLE + " WHERE RESTORE_ID = ?")) {
            ps.setString(1, restoreId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** Records the new length inside the caller's transaction. */
    static void record(Connection c, String restoreId, long stagedBytes, long index) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO " + TABLE + " t USING (VALUES (CAST(? AS VARCHAR(64)), "
                + "CAST(? AS BIGINT), CAST(? AS BIGINT))) v(ID, B, I) ON t.RESTORE_ID = v.ID "
                + "WHEN MATCHED THEN UPDATE SET STAGED_BYTES = v.B, LAST_INDEX = v.I "
                + "WHEN NOT MATCHED THEN INSERT VALUES (v.ID, v.B, v.I, v.I)")) {
            ps.setString(1, restoreId);
            ps.setLong(2, stagedBytes);
            ps.setLong(3, index);
            ps.executeUpdate();
        }
    }

    /** Forgets one restore id (null: all) inside the caller's transaction. */
    static void forget(Connection c, String restoreId) throws SQLException {
        if (restoreId == null) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM " + TABLE);
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE RESTORE_ID = ?")) {
            ps.setString(1, restoreId);
            ps.executeUpdate();
        }
    }

    /**
     * Makes the file hold exactly {@code recordedBytes} followed by {@code bytes[from..]}, and forces it to disk.
     *
     * @throws IOException also if the file holds fewer bytes than recorded (lost by the disk)
     */
    void write(String restoreId, long recordedBytes, byte[] bytes, int from) throws IOException {
        Files.createDirectories(dir);
        Path f = file(restoreId);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (ch.size() < recordedBytes) {
                throw new IOException("staged restore file " + f + " holds " + ch.size() + " bytes but " + recordedBytes
                        + " were recorded as staged: this replica lost data on disk");
            }
            ch.truncate(recordedBytes);
            ByteBuffer b = ByteBuffer.wrap(bytes, from, bytes.length - from);
            long pos = recordedBytes;
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
            ch.force(true);
        }
    }

    /** Brings the file to exactly the recorded length (drops bytes of an uncommitted chunk). */
    Path trimmed(String restoreId, long recordedBytes) throws IOException {
        Path f = file(restoreId);
        long size = Files.exists(f) ? Files.size(f) : -1;
        if (size < recordedBytes) {
            throw new IOException("staged restore file " + f + " holds " + Math.max(size, 0) + " bytes but "
                    + recordedBytes + " were recorded as staged: this replica lost data on disk");
        }
        if (size > recordedBytes) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(recordedBytes);
                ch.force(true);
            }
        }
        return f;
    }

    void deleteFile(String restoreId) {
        try {
            Files.deleteIfExists(file(restoreId));
        } catch (IOException e) {
            LOG.warn("cannot delete staged restore file for {}: {}", restoreId, e.toString());
        }
    }

    void deleteAll() {
        try {
            FileOps.deleteRecursively(dir);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }

    /** Deletes files no staged restore refers to (left by aborts, restores, crashes or snapshot installs). */
    void deleteOrphans(Connection c) throws SQLException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        Set<String> keep = new HashSet<>();
        for (StagedRestore s : list(c)) {
            keep.add(s.restoreId() + ".part");
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (!keep.contains(p.getFileName().toString())) {
                    LOG.info("Deleting orphaned staged restore file {}", p);
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot clean {}: {}", dir, e.toString());
        }
    }
}
