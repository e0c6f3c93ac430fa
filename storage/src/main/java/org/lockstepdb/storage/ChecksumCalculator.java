package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ValueType;

/**
 * Computes the replica checksum: a SHA-256 over every user table's definition and rows, sequences and views,
 * read in one snapshot together with the applied index. LockstepDB's own schemas and INFORMATION_SCHEMA are
 * excluded ({@link SystemSchemas}).
 *
 * <p>Rows are combined order-independently (the sum modulo 2^64 of each row's 64-bit hash, plus the row count),
 * because the physical order H2 returns rows in is not part of the replicated state. A sum rather than XOR so
 * that duplicate rows in a table without a primary key still count.
 */
final class ChecksumCalculator {
    private static final String USER_SCHEMAS = SystemSchemas.NOT_IN_USER_DATA;

    private ChecksumCalculator() {
    }

    /**
     * The definitions part of a checksum: tables with their columns, sequences, views. Column and sequence rows
     * hold the identity columns' and sequences' next values, which H2 keeps outside transactions (a snapshot
     * does not fix them: an entry applied, or a transaction speculated, after the snapshot changes them), so a
     * pinned checksum reads them at pin time, under the apply lock ({@link StoreChecksums#pin()}).
     */
    record Catalog(List<TableDefinition> tables, List<List<String>> sequences, List<List<String>> views) {
    }

    record TableDefinition(String schema, String name, List<List<String>> columns) {
    }

    /** Runs in the caller's SNAPSHOT transaction; the caller rolls back. */
    static Checksum compute(Connection c) throws SQLException {
        long appliedIndex = AppliedIndexTable.read(c).index(); // first statement: fixes the snapshot
        return compute(c, appliedIndex, readCatalog(c));
    }

    /** The checksum of the rows the caller's snapshot (at {@code appliedIndex}) sees, with {@code catalog}. */
    static Checksum compute(Connection c, long appliedIndex, Catalog catalog) throws SQLException {
        CanonicalDigest total = new CanonicalDigest();
        CanonicalDigest scratch = new CanonicalDigest();
        for (TableDefinition table : catalog.tables()) {
            total.putString("table").putString(table.schema()).putString(table.name());
            putAll(table.columns(), "column", total);
            hashRows(c, table.schema(), table.name(), total, scratch);
        }
        putAll(catalog.sequences(), "sequence", total);
        putAll(catalog.views(), "view", total);
        return new Checksum(appliedIndex, total.hex());
    }

    static Catalog readCatalog(Connection c) throws SQLException {
        List<TableDefinition> tables = new ArrayList<>();
        for (String[] table : tables(c)) {
            tables.add(new TableDefinition(table[0], table[1], columns(c, table[0], table[1])));
        }
        List<List<String>> sequences = rows(c, "SELECT SEQUENCE_SCHEMA, SEQUENCE_NAME, DATA_TYPE, BASE_VALUE, INCREMENT, "
                + "MINIMUM_VALUE, MAXIMUM_VALUE, CYCLE_OPTION FROM INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA "
                + USER_SCHEMAS + " ORDER BY SEQUENCE_SCHEMA, SEQUENCE_NAME");
        List<List<String>> views = rows(c, "SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS "
                + "WHERE TABLE_SCHEMA " + USER_SCHEMAS + " ORDER BY TABLE_SCHEMA, TABLE_NAME");
        return new Catalog(List.copyOf(tables), sequences, views);
    }

    private static List<String[]> tables(Connection c) throws SQLException {
        List<String[]> tables = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                     + "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA " + USER_SCHEMAS
                     + " ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return tables;
    }

    /** Column definitions, including the identity's next value: it decides what later inserts store. */
    private static List<List<String>> columns(Connection c, String schema, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, "
                + "CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, IS_NULLABLE, "
                + "COLUMN_DEFAULT, IS_IDENTITY, IDENTITY_BASE FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                return asStrings(rs);
            }
        }
    }

    private static void hashRows(Connection c, String schema, String table, CanonicalDigest total,
                                 CanonicalDigest rowDigest) throws SQLException {
        long sum = 0;
        long count = 0;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + H2Sessions.quote(schema) + "." + H2Sessions.quote(table))) {
            List<ValueType> types = ResultSetReader.columns(rs).stream()
                    .map(m -> ColumnTypes.checksumType(m.jdbcType(), m.typeName())).toList();
            while (rs.next()) {
                for (int i = 0; i < types.size(); i++) {
                    rowDigest.putValue(ResultSetReader.readValue(rs, i + 1, types.get(i), Long.MAX_VALUE));
                }
                sum += rowDigest.digest64();
                count++;
            }
        } catch (ResultTooLargeException e) {
            throw new IllegalStateException("cannot happen without a limit", e);
        }
        total.putString("rows").putLong(count).putLong(sum);
    }

    private static List<List<String>> rows(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return asStrings(rs);
        }
    }

    private static List<List<String>> asStrings(ResultSet rs) throws SQLException {
        int n = rs.getMetaData().getColumnCount();
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
            List<String> row = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                row.add(rs.getString(i));
            }
            rows.add(java.util.Collections.unmodifiableList(row)); // INFORMATION_SCHEMA values may be null
        }
        return java.util.Collections.unmodifiableList(rows);
    }

    private static void putAll(List<List<String>> rows, String label, CanonicalDigest total) {
        for (List<String> row : rows) {
            total.putString(label);
            row.forEach(total::putString);
        }
    }
}
