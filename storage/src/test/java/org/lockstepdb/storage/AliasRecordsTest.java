package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.scalar;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reopening a store adds no metadata records and logs no error for the RAND/UUID aliases, and a store of an earlier
 * version, whose records piled up, is cleaned up ({@link AliasRecords}) and still draws the same values.
 */
class AliasRecordsTest {
    private static final int ALIASES = 6; // RAND, RANDOM, RANDOM_UUID, UUID, SEEDED_RAND, SEEDED_RANDOM_UUID
    private static final String ROUTINES = "SELECT COUNT(DISTINCT ROUTINE_NAME) FROM INFORMATION_SCHEMA.ROUTINES "
            + "WHERE ROUTINE_SCHEMA = 'LOCKSTEP_FN'";

    @TempDir
    Path dir;

    @Test
    void reopeningAddsNoAliasRecordsAndLogsNoError() throws Exception {
        Path store = dir.resolve("s");
        Object value;
        try (SqlStore s = SqlStore.open(store)) {
            ok(s.apply(1, 1, write("CREATE TABLE t(k INT PRIMARY KEY, r DOUBLE)")));
            ok(s.apply(1, 2, write("INSERT INTO t VALUES (1, RAND())")));
            value = scalar(s, "SELECT r FROM t");
        }
        for (int i = 0; i < 4; i++) {
            try (SqlStore s = SqlStore.open(store)) {
                assertThat(records(s)).as("records after open %d", i).isEqualTo(ALIASES);
                assertThat(scalar(s, ROUTINES)).isEqualTo((long) ALIASES);
                ok(s.apply(1, 3 + i, write("INSERT INTO t VALUES (" + (2 + i) + ", RAND())")));
            }
        }
        assertThat(traceMentions(store, "90076")).as("H2 trace").isFalse();
        try (SqlStore s = SqlStore.open(store)) {
            assertThat(scalar(s, "SELECT r FROM t WHERE k = 1")).isEqualTo(value);
        }
    }

    /** What earlier versions did at every open: H2 failed to load the aliases, and they were created again. */
    @Test
    void recordsAnEarlierVersionPiledUpAreRemoved() throws Exception {
        Path store = dir.resolve("old");
        try (SqlStore s = SqlStore.open(store)) {
            ok(s.apply(1, 1, write("CREATE TABLE t(k INT PRIMARY KEY, r DOUBLE)")));
        }
        StoreDirectory directory = new StoreDirectory(store);
        String plainUrl = "jdbc:h2:file:" + directory.h2DatabasePath() + H2Sessions.DATABASE_SETTINGS;
        for (int i = 0; i < 3; i++) {
            try (Connection c = DriverManager.getConnection(plainUrl, H2Sessions.OWNER, "")) {
                c.setAutoCommit(false);
                DeterministicFunctionsOfEarlierVersions.install(c);
            }
        }
        try (Connection c = DriverManager.getConnection(plainUrl, H2Sessions.OWNER, "")) {
            assertThat(AliasRecords.count(c)).as("records piled up").isGreaterThan(ALIASES);
        }
        try (SqlStore s = SqlStore.open(store)) { // this open still fails to load the surplus records, then deletes them
            assertThat(records(s)).isEqualTo(ALIASES);
            ok(s.apply(1, 2, write("INSERT INTO t VALUES (1, RAND())")));
        }
        Files.writeString(traceFile(store), "");
        try (SqlStore s = SqlStore.open(store)) {
            assertThat(records(s)).isEqualTo(ALIASES);
            assertThat(scalar(s, ROUTINES)).isEqualTo((long) ALIASES);
        }
        assertThat(traceMentions(store, "90076")).as("H2 trace after the clean-up").isFalse();
        // the same draw as a store that never piled up records
        try (SqlStore fresh = SqlStore.open(dir.resolve("fresh")); SqlStore s = SqlStore.open(store)) {
            ok(fresh.apply(1, 1, write("CREATE TABLE t(k INT PRIMARY KEY, r DOUBLE)")));
            ok(fresh.apply(1, 2, write("INSERT INTO t VALUES (1, RAND())")));
            assertThat(scalar(s, "SELECT r FROM t")).isEqualTo(scalar(fresh, "SELECT r FROM t"));
        }
    }

    private static int records(SqlStore s) throws Exception {
        return AliasRecords.count(s.writer().connection());
    }

    private static Path traceFile(Path store) {
        return new StoreDirectory(store).h2Dir().resolve(StoreDirectory.DATABASE_NAME + ".trace.db");
    }

    private static boolean traceMentions(Path store, String text) throws Exception {
        Path trace = traceFile(store);
        return Files.exists(trace) && Files.readString(trace).contains(text);
    }

    /** The install of earlier versions, run on a session of a database opened without BUILTIN_ALIAS_OVERRIDE. */
    private static final class DeterministicFunctionsOfEarlierVersions {
        static void install(Connection c) throws Exception {
            try (Statement s = c.createStatement()) {
                s.execute("SET BUILTIN_ALIAS_OVERRIDE TRUE");
                s.execute("CREATE SCHEMA IF NOT EXISTS LOCKSTEP_FN");
                for (String name : new String[] {"RAND", "RANDOM", "RANDOM_UUID", "UUID", "SEEDED_RAND",
                    "SEEDED_RANDOM_UUID"}) {
                    String method = name.contains("UUID") ? "randomUuid" : "rand";
                    s.execute("CREATE ALIAS IF NOT EXISTS LOCKSTEP_FN." + name + " FOR '"
                            + DeterministicFunctions.class.getName() + "." + method + "'");
                }
            }
            c.commit();
        }
    }
}
