package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.query;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.WriteRequest;

/**
 * The apply session's clock is the entry's stamp ({@link EntryClock}): implicit clock reads (column defaults,
 * ON UPDATE, TIME to TIMESTAMP conversions) store the stamp, whenever and wherever the entry is applied; and
 * seeded random defaults draw the same values on every store, after a restart and a snapshot install too.
 */
class EntryClockTest {
    /** A leap day long ago: a replica applying the entry today would store today's date without the pin. */
    static final Instant CREATED = Instant.parse("2020-02-29T23:59:59.123Z");
    static final Instant INSERTED = Instant.parse("2021-03-01T08:00:00.456Z");
    static final Instant SELECTED = Instant.parse("2022-07-04T12:30:00.001Z");
    static final Instant MERGED = Instant.parse("2023-12-31T23:59:59.999Z");
    static final Instant UPDATED = Instant.parse("2024-01-15T06:07:08.009Z");
    static final Instant ADDED = Instant.parse("2025-05-05T05:05:05.505Z");
    static final Instant CONVERTED = Instant.parse("2019-09-09T09:09:09.909Z");

    @TempDir
    Path dir;

    /** The log of a table with clock and seeded defaults (as the guard writes them), filled in every way. */
    static final List<WriteRequest> LOG = List.of(
            stamped(CREATED, "CREATE TABLE ev(id INT PRIMARY KEY, ts TIMESTAMP, "
                    + "created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP, d DATE DEFAULT CURRENT_DATE, "
                    + "changed TIMESTAMP(3) DEFAULT LOCALTIMESTAMP ON UPDATE LOCALTIMESTAMP, "
                    + "u UUID DEFAULT SEEDED_RANDOM_UUID(), r DOUBLE PRECISION DEFAULT SEEDED_RAND())"),
            stamped(INSERTED, "INSERT INTO ev(id, ts) VALUES (1, TIME '10:00:00')",
                    "INSERT INTO ev(id, ts) VALUES (2, CAST(TIME '11:00:00' AS TIMESTAMP))"),
            stamped(SELECTED, "INSERT INTO ev(id) SELECT X + 10 FROM SYSTEM_RANGE(1, 5)"),
            stamped(MERGED, "MERGE INTO ev(id) KEY(id) VALUES (1), (20)"),
            stamped(UPDATED, "UPDATE ev SET ts = TIME '23:00:00' WHERE id IN (2, 11)"),
            // DDL that fills rows: H2 commits before it runs, and the listener pins the clock again
            stamped(ADDED, "ALTER TABLE ev ADD COLUMN added TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP"),
            stamped(ADDED, "ALTER TABLE ev ADD COLUMN tm TIME DEFAULT TIME '12:00:00'"),
            stamped(CONVERTED, "ALTER TABLE ev ALTER COLUMN tm SET DATA TYPE TIMESTAMP"));

    static WriteRequest stamped(Instant at, String... sql) {
        return new WriteRequest(at.toEpochMilli(), Arrays.stream(sql).map(SqlStatement::of).toList());
    }

    static SqlStore openAndApply(Path path) throws Exception {
        SqlStore store = SqlStore.open(path);
        for (int i = 0; i < LOG.size(); i++) {
            ok(store.apply(1, i + 1, LOG.get(i)));
        }
        return store;
    }

    @Test
    void implicitClockReadsStoreTheEntrysStamp() throws Exception {
        try (SqlStore store = openAndApply(dir.resolve("a"))) {
            // MERGE of an existing row with the same values changes nothing: H2 leaves ON UPDATE alone
            assertRow(store, 1, "2021-03-01T10:00", INSERTED, INSERTED);
            assertRow(store, 2, "2024-01-15T23:00", INSERTED, UPDATED);
            assertRow(store, 11, "2024-01-15T23:00", SELECTED, UPDATED);
            assertRow(store, 12, null, SELECTED, SELECTED);
            assertRow(store, 20, null, MERGED, MERGED);
            assertThat(query(store, "SELECT DISTINCT added, tm FROM ev").data().rows()).singleElement()
                    .satisfies(r -> {
                        assertThat(((OffsetDateTime) r.get(0).value()).toInstant()).isEqualTo(ADDED);
                        assertThat(r.get(1).value()).as("TIME converted to TIMESTAMP by DDL: the entry's date")
                                .isEqualTo(LocalDateTime.parse("2019-09-09T12:00"));
                    });
        }
    }

    /** Row {@code id}: ts as written (a TIME converted on the stamp's date), created/d and changed at the stamps. */
    private static void assertRow(SqlStore store, int id, String ts, Instant created, Instant changed) {
        List<Value> row = query(store, "SELECT ts, created, d, changed FROM ev WHERE id = " + id).data().rows().get(0);
        assertThat(row.get(0).value()).as("ts of %d", id).isEqualTo(ts == null ? null : LocalDateTime.parse(ts));
        assertThat(((OffsetDateTime) row.get(1).value()).toInstant()).as("created of %d", id).isEqualTo(created);
        assertThat(row.get(2).value()).as("d of %d", id).isEqualTo(LocalDate.ofInstant(created, ZoneOffset.UTC));
        assertThat(row.get(3).value()).as("changed of %d", id).isEqualTo(LocalDateTime.ofInstant(changed, ZoneOffset.UTC));
    }

    @Test
    void anotherStoreRestartedOrRebuiltFromASnapshotHoldsTheSameValues() throws Exception {
        List<List<Value>> expected;
        String checksum;
        Path snapshot = dir.resolve("snap.lsdb");
        try (SqlStore a = openAndApply(dir.resolve("a"))) {
            expected = allRows(a);
            checksum = a.checksums().checksum();
            try (SnapshotExport export = SnapshotExport.begin(a)) {
                export.writeTo(snapshot);
            }
        }
        assertThat(expected).hasSize(8).allSatisfy(row -> {
            assertThat(row.get(5).value()).isInstanceOf(UUID.class);
            assertThat(((UUID) row.get(5).value()).version()).isEqualTo(4);
            assertThat((Double) row.get(6).value()).isBetween(0.0, 1.0);
        });
        assertThat(expected.stream().map(r -> r.get(5).value()).distinct()).as("one UUID per row").hasSize(8);

        try (SqlStore b = openAndApply(dir.resolve("b"))) { // another replica, later
            assertThat(allRows(b)).isEqualTo(expected);
            assertThat(b.checksums().checksum()).isEqualTo(checksum);
        }
        try (SqlStore reopened = SqlStore.open(dir.resolve("a"))) { // the defaults' functions load on open
            assertThat(allRows(reopened)).isEqualTo(expected);
            ok(reopened.apply(1, LOG.size() + 1, stamped(UPDATED, "INSERT INTO ev(id) VALUES (30)")));
            assertThat(query(reopened, "SELECT u FROM ev WHERE id = 30").data().rows().get(0).get(0).value())
                    .isInstanceOf(UUID.class);
        }
        OfflineRestore.restoreFrom(dir.resolve("c"), snapshot);
        try (SqlStore c = SqlStore.open(dir.resolve("c"))) {
            assertThat(allRows(c)).isEqualTo(expected);
            assertThat(c.checksums().checksum()).isEqualTo(checksum);
            ok(c.apply(1, LOG.size() + 1, stamped(UPDATED, "INSERT INTO ev(id) VALUES (30)")));
            try (SqlStore a = SqlStore.open(dir.resolve("a"))) {
                assertThat(allRows(c)).isEqualTo(allRows(a));
            }
        }
    }

    private static List<List<Value>> allRows(SqlStore store) {
        return query(store, "SELECT id, ts, created, d, changed, u, r, added, tm FROM ev ORDER BY id").data().rows();
    }

    @Test
    void everyStatementOfABatchAndEveryExecutionSeesTheStamp() throws Exception {
        try (SqlStore store = SqlStore.open(dir.resolve("s"))) {
            ok(store.apply(1, 1, stamped(CREATED, "CREATE TABLE t(id INT PRIMARY KEY, at TIMESTAMP(9) WITH TIME ZONE "
                    + "DEFAULT CURRENT_TIMESTAMP(9))")));
            WriteRequest batch = new WriteRequest(INSERTED.toEpochMilli(), List.of(
                    SqlStatement.of("INSERT INTO t(id) VALUES (1)"),
                    new SqlStatement("INSERT INTO t(id) VALUES (?)", List.of(List.of(Entries.intValue(2)),
                            List.of(Entries.intValue(3))), org.lockstepdb.protocol.GeneratedKeyRequest.NONE)));
            ok(store.apply(1, 2, batch));
            assertThat(query(store, "SELECT DISTINCT at FROM t").data().rows()).singleElement()
                    .satisfies(r -> assertThat(((OffsetDateTime) r.get(0).value()).toInstant()).isEqualTo(INSERTED));
            // an unstamped entry (tests, tools) reads the epoch: still no replica's own clock
            ok(store.apply(1, 3, Entries.write("INSERT INTO t(id) VALUES (4)")));
            assertThat(((OffsetDateTime) query(store, "SELECT at FROM t WHERE id = 4").data().rows().get(0).get(0)
                    .value()).toInstant()).isEqualTo(Instant.EPOCH);
            // queries keep the replica's clock
            OffsetDateTime now = (OffsetDateTime) query(store, "SELECT CURRENT_TIMESTAMP").data().rows().get(0).get(0)
                    .value();
            assertThat(now.toInstant()).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
        }
    }

    @Test
    void ddlCallingTheBuiltInRandomFunctionsIsRefusedOnEveryReplica() throws Exception {
        // the guard writes these as SEEDED_…(); an alias named like a built-in would not load on reopen
        long index = 0;
        try (SqlStore store = SqlStore.open(dir.resolve("names"))) {
            for (String sql : List.of("CREATE TABLE uuid(id INT PRIMARY KEY)", "CREATE TABLE rand(id INT)",
                    "CREATE TABLE c(id INT REFERENCES uuid(id), u UUID DEFAULT SEEDED_RANDOM_UUID())")) {
                ok(store.apply(1, ++index, stamped(CREATED, sql)));
            }
            for (String sql : List.of("CREATE TABLE a(id INT, u UUID DEFAULT RANDOM_UUID())",
                    "CREATE TABLE b(id INT, r DOUBLE DEFAULT rand())", "CREATE DOMAIN d AS UUID DEFAULT \"UUID\"()")) {
                assertThat(store.apply(1, ++index, stamped(CREATED, sql)).orElseThrow()).as(sql)
                        .isInstanceOfSatisfying(ErrorReply.class,
                                e -> assertThat(e.sqlState()).isEqualTo("42L02"));
            }
        }
        try (SqlStore reopened = SqlStore.open(dir.resolve("names"))) {
            assertThat(query(reopened, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC'")
                    .data().rows().get(0).get(0).value()).isEqualTo(3L);
        }
    }

    @Test
    void attachAcceptsThisH2AndLeavesNoPinBehind() throws Exception {
        try (Connection c = memoryApplySession("clock")) {
            EntryClock.attach(c);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP")) {
                rs.next();
                assertThat(rs.getObject(1, OffsetDateTime.class).getYear()).isGreaterThan(2025);
            }
        }
    }

    @Test
    void verifyFailsFastWhenThePinDoesNotReachIntoDdl() throws Exception {
        try (Connection c = memoryApplySession("nolistener")) { // the listener that re-pins after H2's commit is missing
            assertThatThrownBy(() -> EntryClock.verify(c)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("needs H2 " + H2Internals.PINNED_VERSION)
                    .hasMessageContaining("did not survive H2's commit before DDL");
        }
    }

    private static Connection memoryApplySession(String name) throws SQLException {
        return MemoryDatabases.session(name, "SET TIME ZONE 'UTC'");
    }
}
