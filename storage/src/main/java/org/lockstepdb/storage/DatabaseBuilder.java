package org.lockstepdb.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.engine.SessionLocal;
import org.h2.util.ScriptReader;

/**
 * Builds a fresh H2 database from a verified snapshot file, in a directory of its own, and closes it cleanly.
 * The caller swaps the directory into place ({@link DatabaseSwap}).
 */
final class DatabaseBuilder {
    private DatabaseBuilder() {
    }

    /** A last step on the built database, inside its final transaction (e.g. replacing its client calls). */
    @FunctionalInterface
    interface Finisher {
        void finish(Connection built) throws SQLException;
    }

    /** Builds with the file's own client calls (a Raft snapshot of this cluster's log). */
    static void build(Path h2Dir, Path snapshotFile, AppliedIndex applied) throws IOException, SQLException {
        build(h2Dir, snapshotFile, applied, built -> { });
    }

    /**
     * @param h2Dir    where to build; deleted first if it exists
     * @param applied  the applied index to store in the new database
     * @param finisher runs after the file's contents are loaded, before the final commit
     * @throws SQLException if the dump does not replay (for a verified file: an incompatible H2 version)
     */
    static void build(Path h2Dir, Path snapshotFile, AppliedIndex applied, Finisher finisher)
            throws IOException, SQLException {
        FileOps.deleteRecursively(h2Dir);
        Files.createDirectories(h2Dir);
        String url = "jdbc:h2:file:" + h2Dir.resolve(StoreDirectory.DATABASE_NAME) + H2Sessions.DATABASE_SETTINGS
                + H2Sessions.OWNER_SETTINGS;
        try (Connection c = DriverManager.getConnection(url, H2Sessions.OWNER, "")) {
            try (Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
            }
            // user objects may call the deterministic RAND/UUID aliases: create them first
            DeterministicFunctions.install(c);
            ClientCallsTable.create(c); // a version-2 file inserts the client calls it carries
            c.setAutoCommit(true); // one commit per script statement: no huge transaction
            try (Reader script = new InputStreamReader(SnapshotFile.openPayload(snapshotFile), StandardCharsets.UTF_8)) {
                runDump(c, script);
            }
            c.setAutoCommit(false);
            AppliedIndexTable.create(c);
            AppliedIndexTable.write(c, applied.term(), applied.index());
            finisher.finish(c);
            c.commit();
            try (Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            }
        }
        FileOps.fsyncTree(h2Dir);
    }

    /**
     * Runs the dump statement by statement, like {@code RunScript}. {@code CREATE PRIMARY KEY <name> ON …} (the
     * index of a primary key under its recorded name, {@link ConstraintIndexes}) is H2's own metadata syntax,
     * which H2 parses only in its quirks mode: that mode is on for exactly those statements.
     */
    private static void runDump(Connection c, Reader script) throws SQLException {
        ScriptReader reader = new ScriptReader(new BufferedReader(script, 1 << 16));
        SessionLocal session = H2Internals.session(c);
        try (Statement s = c.createStatement()) {
            String sql;
            while ((sql = reader.readStatement()) != null) {
                if (sql.isBlank()) {
                    continue;
                }
                boolean primaryKeyIndex = sql.stripLeading().startsWith(ConstraintIndexes.PRIMARY_KEY_INDEX);
                session.setQuirksMode(primaryKeyIndex);
                try {
                    s.execute(sql);
                } finally {
                    session.setQuirksMode(false);
                }
            }
        }
    }
}
