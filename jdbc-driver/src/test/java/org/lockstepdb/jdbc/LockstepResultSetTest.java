package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

class LockstepResultSetTest {
    static final UUID U = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    static final OffsetDateTime ODT = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 600_000_000, ZoneOffset.ofHours(2));
    static final OffsetTime OT = OffsetTime.of(7, 8, 9, 0, ZoneOffset.ofHoursMinutes(-5, -30));

    /** One column per type: label = type name; row 1 has values, row 2 is all NULL. */
    static ResultData allTypes() {
        Object[][] cells = {
            {ValueType.BOOLEAN, true},
            {ValueType.TINYINT, (byte) -7},
            {ValueType.SMALLINT, (short) 300},
            {ValueType.INTEGER, 42},
            {ValueType.BIGINT, 1L << 40},
            {ValueType.REAL, 1.5f},
            {ValueType.DOUBLE, 2.25d},
            {ValueType.DECIMAL, new BigDecimal("12.50")},
            {ValueType.CHAR, "c  "},
            {ValueType.VARCHAR, "hello"},
            {ValueType.CLOB, "big text"},
            {ValueType.VARBINARY, new byte[] {1, 2, (byte) 0xff}},
            {ValueType.BLOB, new byte[] {9, 8, 7}},
            {ValueType.DATE, LocalDate.of(2024, 2, 29)},
            {ValueType.TIME, LocalTime.of(13, 14, 15, 250_000_000)},
            {ValueType.TIME_WITH_TIME_ZONE, OT},
            {ValueType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_789)},
            {ValueType.TIMESTAMP_WITH_TIME_ZONE, ODT},
            {ValueType.UUID, U},
            {ValueType.JSON, "{\"a\":1}".getBytes()},
        };
        List<ColumnMeta> cols = new ArrayList<>();
        List<Value> row = new ArrayList<>();
        List<Value> nulls = new ArrayList<>();
        for (Object[] c : cells) {
            ValueType t = (ValueType) c[0];
            cols.add(new ColumnMeta(t.name(), t.name() + "_COL", "PUBLIC", "T", t, t.jdbcType(), t.name().replace('_', ' '),
                    10, t == ValueType.DECIMAL ? 2 : 0, ResultSetMetaData.columnNullable));
            row.add(Value.of(t, c[1]));
            nulls.add(Value.NULL);
        }
        return new ResultData(cols, List.of(row, nulls));
    }

    private static LockstepResultSet open() throws SQLException {
        LockstepResultSet rs = new LockstepResultSet(allTypes());
        assertThat(rs.next()).isTrue();
        return rs;
    }

    @Test
    void getObjectReturnsJdbcStandardTypes() throws SQLException {
        ResultSet rs = open();
        assertThat(rs.getObject("BOOLEAN")).isEqualTo(true);
        assertThat(rs.getObject("TINYINT")).isEqualTo(-7);
        assertThat(rs.getObject("SMALLINT")).isEqualTo(300);
        assertThat(rs.getObject("INTEGER")).isEqualTo(42);
        assertThat(rs.getObject("BIGINT")).isEqualTo(1L << 40);
        assertThat(rs.getObject("REAL")).isEqualTo(1.5f);
        assertThat(rs.getObject("DOUBLE")).isEqualTo(2.25d);
        assertThat(rs.getObject("DECIMAL")).isEqualTo(new BigDecimal("12.50"));
        assertThat(rs.getObject("CHAR")).isEqualTo("c  ");
        assertThat(rs.getObject("VARCHAR")).isEqualTo("hello");
        assertThat(rs.getObject("CLOB")).isInstanceOf(Clob.class);
        assertThat(((Clob) rs.getObject("CLOB")).getSubString(1, 100)).isEqualTo("big text");
        assertThat(rs.getObject("VARBINARY")).isEqualTo(new byte[] {1, 2, (byte) 0xff});
        assertThat(rs.getObject("BLOB")).isInstanceOf(Blob.class);
        assertThat(((Blob) rs.getObject("BLOB")).getBytes(1, 3)).containsExactly(9, 8, 7);
        assertThat(rs.getObject("DATE")).isEqualTo(Date.valueOf("2024-02-29"));
        assertThat(rs.getObject("TIME")).isInstanceOf(Time.class);
        assertThat(rs.getObject("TIME").toString()).isEqualTo("13:14:15");
        assertThat(((Time) rs.getObject("TIME")).getTime() % 1000).isEqualTo(250);
        assertThat(rs.getObject("TIME_WITH_TIME_ZONE")).isEqualTo(OT);
        assertThat(rs.getObject("TIMESTAMP")).isEqualTo(Timestamp.valueOf("2024-01-02 03:04:05.123456789"));
        assertThat(rs.getObject("TIMESTAMP_WITH_TIME_ZONE")).isEqualTo(ODT);
        assertThat(rs.getObject("UUID")).isEqualTo(U);
        assertThat(rs.getObject("JSON")).isEqualTo("{\"a\":1}".getBytes());
        assertThat(rs.wasNull()).isFalse();
    }

    @Test
    void getObjectWithClass() throws SQLException {
        ResultSet rs = open();
        assertThat(rs.getObject("DATE", LocalDate.class)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(rs.getObject("TIME", LocalTime.class)).isEqualTo(LocalTime.of(13, 14, 15, 250_000_000));
        assertThat(rs.getObject("TIMESTAMP", LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_789));
        assertThat(rs.getObject("TIMESTAMP", LocalDate.class)).isEqualTo(LocalDate.of(2024, 1, 2));
        assertThat(rs.getObject("TIMESTAMP_WITH_TIME_ZONE", OffsetDateTime.class)).isEqualTo(ODT);
        assertThat(rs.getObject("TIMESTAMP_WITH_TIME_ZONE", Instant.class)).isEqualTo(ODT.toInstant());
        assertThat(rs.getObject("TIMESTAMP_WITH_TIME_ZONE", ZonedDateTime.class)).isEqualTo(ODT.toZonedDateTime());
        assertThat(rs.getObject("TIME_WITH_TIME_ZONE", OffsetTime.class)).isEqualTo(OT);
        assertThat(rs.getObject("UUID", UUID.class)).isEqualTo(U);
        assertThat(rs.getObject("UUID", String.class)).isEqualTo(U.toString());
        assertThat(rs.getObject("INTEGER", Long.class)).isEqualTo(42L);
        assertThat(rs.getObject("INTEGER", String.class)).isEqualTo("42");
        assertThat(rs.getObject("TINYINT", Byte.class)).isEqualTo((byte) -7);
        assertThat(rs.getObject("SMALLINT", Short.class)).isEqualTo((short) 300);
        assertThat(rs.getObject("BIGINT", BigDecimal.class)).isEqualTo(BigDecimal.valueOf(1L << 40));
        assertThat(rs.getObject("DECIMAL", Double.class)).isEqualTo(12.5d);
        assertThat(rs.getObject("DECIMAL", Integer.class)).isEqualTo(13);
        assertThat(rs.getObject("BOOLEAN", Boolean.class)).isTrue();
        assertThat(rs.getObject("VARBINARY", byte[].class)).containsExactly(1, 2, 0xff);
        assertThat(rs.getObject("BLOB", byte[].class)).containsExactly(9, 8, 7);
        assertThat(rs.getObject("CLOB", String.class)).isEqualTo("big text");
        assertThat(rs.getObject("REAL", Float.class)).isEqualTo(1.5f);
        // as H2's driver: Object.class is a conversion to JAVA_OBJECT, which H2 refuses for a string
        assertThatThrownBy(() -> rs.getObject("VARCHAR", Object.class)).isInstanceOf(SQLDataException.class)
                .extracting(e -> ((SQLDataException) e).getSQLState()).isEqualTo("22018");
        // as H2's driver: a TIMESTAMP is in the session's zone, UTC on every replica
        assertThat(rs.getObject("TIMESTAMP", OffsetDateTime.class))
                .isEqualTo(rs.getObject("TIMESTAMP", java.time.LocalDateTime.class).atOffset(java.time.ZoneOffset.UTC));
        assertThatThrownBy(() -> rs.getObject("VARCHAR", Integer.class)).isInstanceOf(SQLDataException.class);
        assertThatThrownBy(() -> rs.getObject("INTEGER", StringBuilder.class)).isInstanceOf(SQLDataException.class);
    }

    @Test
    void typedGetters() throws Exception {
        ResultSet rs = open();
        assertThat(rs.getString("BOOLEAN")).isEqualTo("TRUE");
        assertThat(rs.getString("DECIMAL")).isEqualTo("12.50");
        assertThat(rs.getString("VARBINARY")).isEqualTo(new String(new byte[] {1, 2, (byte) 0xff},
                java.nio.charset.StandardCharsets.UTF_8)); // as H2 2.x: binary strings read as UTF-8
        assertThat(rs.getString("DATE")).isEqualTo("2024-02-29");
        assertThat(rs.getString("TIME")).isEqualTo("13:14:15.25");
        assertThat(rs.getString("TIMESTAMP")).isEqualTo("2024-01-02 03:04:05.123456789");
        assertThat(rs.getString("TIMESTAMP_WITH_TIME_ZONE")).isEqualTo("2024-01-02 03:04:05.6+02");
        assertThat(rs.getString("TIME_WITH_TIME_ZONE")).isEqualTo("07:08:09-05:30");
        assertThat(rs.getString("JSON")).isEqualTo("{\"a\":1}");
        assertThat(rs.getString("UUID")).isEqualTo(U.toString());
        assertThat(rs.getInt("TINYINT")).isEqualTo(-7);
        assertThat(rs.getLong("INTEGER")).isEqualTo(42L);
        assertThat(rs.getShort("SMALLINT")).isEqualTo((short) 300);
        assertThat(rs.getByte("TINYINT")).isEqualTo((byte) -7);
        assertThat(rs.getDouble("REAL")).isEqualTo(1.5d);
        assertThat(rs.getFloat("DOUBLE")).isEqualTo(2.25f);
        assertThat(rs.getBigDecimal("DOUBLE")).isEqualByComparingTo("2.25");
        assertThat(rs.getBoolean("INTEGER")).isTrue();
        assertThat(rs.getBytes("BLOB")).containsExactly(9, 8, 7);
        assertThat(rs.getBlob("VARBINARY").length()).isEqualTo(3);
        assertThat(rs.getClob("CLOB").length()).isEqualTo(8);
        try (InputStream in = rs.getBinaryStream("BLOB")) {
            assertThat(in.readAllBytes()).containsExactly(9, 8, 7);
        }
        try (Reader r = rs.getCharacterStream("VARCHAR")) {
            char[] buf = new char[10];
            assertThat(new String(buf, 0, r.read(buf))).isEqualTo("hello");
        }
        assertThat(rs.getDate("TIMESTAMP")).isEqualTo(Date.valueOf("2024-01-02"));
        assertThat(rs.getTime("TIMESTAMP").toString()).isEqualTo("03:04:05");
        assertThat(rs.getTimestamp("DATE")).isEqualTo(Timestamp.valueOf("2024-02-29 00:00:00"));
        assertThat(rs.getTimestamp("TIMESTAMP_WITH_TIME_ZONE").toInstant()).isEqualTo(ODT.toInstant());
        Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        assertThat(rs.getTimestamp("TIMESTAMP", utc).toInstant())
                .isEqualTo(Instant.parse("2024-01-02T03:04:05.123456789Z"));
        assertThat(rs.getDate("DATE", utc).getTime()).isEqualTo(Instant.parse("2024-02-29T00:00:00Z").toEpochMilli());
        assertThat(rs.getTime("TIME", utc).getTime()).isEqualTo(((13 * 60 + 14) * 60 + 15) * 1000L + 250);
        assertThat(rs.getInt("INTEGER")).isEqualTo(42);
        assertThatThrownBy(() -> rs.getInt("VARCHAR")).isInstanceOf(SQLDataException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22018");
        assertThatThrownBy(() -> rs.getByte("SMALLINT")).isInstanceOf(SQLDataException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22003");
        assertThatThrownBy(() -> rs.getInt("BIGINT")).isInstanceOf(SQLDataException.class);
        assertThatThrownBy(() -> rs.getDate("BOOLEAN")).isInstanceOf(SQLDataException.class);
    }

    @Test
    void stringToNumberConversions() throws SQLException {
        ColumnMeta c = new ColumnMeta("S", "S", "", "", ValueType.VARCHAR, Types.VARCHAR, "CHARACTER VARYING", 10, 0, 1);
        ResultSet rs = new LockstepResultSet(new ResultData(List.of(c), List.of(List.of(Value.of(ValueType.VARCHAR, " 17 ")))));
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(17);
        assertThat(rs.getLong(1)).isEqualTo(17L);
        assertThat(rs.getBigDecimal(1)).isEqualByComparingTo("17");
        assertThat(rs.getDouble(1)).isEqualTo(17d);
    }

    @Test
    void nullsAndWasNull() throws SQLException {
        ResultSet rs = open();
        assertThat(rs.next()).isTrue();
        int n = rs.getMetaData().getColumnCount();
        for (int i = 1; i <= n; i++) {
            assertThat(rs.getObject(i)).isNull();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.getString(i)).isNull();
            assertThat(rs.getInt(i)).isZero();
            assertThat(rs.wasNull()).isTrue();
            assertThat(rs.getLong(i)).isZero();
            assertThat(rs.getDouble(i)).isZero();
            assertThat(rs.getBoolean(i)).isFalse();
            assertThat(rs.getBigDecimal(i)).isNull();
            assertThat(rs.getBytes(i)).isNull();
            assertThat(rs.getDate(i)).isNull();
            assertThat(rs.getTime(i)).isNull();
            assertThat(rs.getTimestamp(i)).isNull();
            assertThat(rs.getBlob(i)).isNull();
            assertThat(rs.getClob(i)).isNull();
            assertThat(rs.getBinaryStream(i)).isNull();
            assertThat(rs.getCharacterStream(i)).isNull();
            assertThat(rs.getObject(i, LocalDate.class)).isNull();
            assertThat(rs.getObject(i, Integer.class)).isNull();
            assertThat(rs.wasNull()).isTrue();
        }
    }

    @Test
    void navigationAndErrors() throws SQLException {
        LockstepResultSet rs = new LockstepResultSet(allTypes());
        assertThatThrownBy(() -> rs.getInt(1)).hasMessageContaining("No current row");
        assertThat(rs.isBeforeFirst()).isTrue();
        assertThat(rs.next()).isTrue();
        assertThat(rs.isFirst()).isTrue();
        assertThat(rs.getRow()).isEqualTo(1);
        assertThatThrownBy(() -> rs.getInt(99)).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("07009");
        assertThatThrownBy(() -> rs.getInt("nope")).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42S22");
        assertThat(rs.findColumn("integer")).isEqualTo(4);
        assertThat(rs.findColumn("INTEGER_COL")).isEqualTo(4);
        assertThat(rs.next()).isTrue();
        assertThat(rs.isLast()).isTrue();
        assertThat(rs.next()).isFalse();
        assertThat(rs.isAfterLast()).isTrue();
        assertThat(rs.next()).isFalse();
        assertThatThrownBy(rs::previous).isInstanceOf(SQLException.class);
        assertThat(rs.getType()).isEqualTo(ResultSet.TYPE_FORWARD_ONLY);
        assertThat(rs.getConcurrency()).isEqualTo(ResultSet.CONCUR_READ_ONLY);
        rs.setFetchSize(100);
        assertThat(rs.getFetchSize()).isEqualTo(100);
        rs.close();
        assertThat(rs.isClosed()).isTrue();
        assertThatThrownBy(rs::next).hasMessageContaining("closed");
    }

    @Test
    void scrollInsensitive() throws SQLException {
        LockstepResultSet rs = new LockstepResultSet(null, allTypes(), ResultSet.TYPE_SCROLL_INSENSITIVE);
        assertThat(rs.last()).isTrue();
        assertThat(rs.getRow()).isEqualTo(2);
        assertThat(rs.first()).isTrue();
        assertThat(rs.getInt("INTEGER")).isEqualTo(42);
        assertThat(rs.absolute(-1)).isTrue();
        assertThat(rs.getObject("INTEGER")).isNull();
        assertThat(rs.relative(-1)).isTrue();
        assertThat(rs.getRow()).isEqualTo(1);
        assertThat(rs.previous()).isFalse();
        rs.afterLast();
        assertThat(rs.previous()).isTrue();
        assertThat(rs.getRow()).isEqualTo(2);
        rs.beforeFirst();
        assertThat(rs.next()).isTrue();
    }

    @Test
    void metaData() throws SQLException {
        ResultSetMetaData md = open().getMetaData();
        assertThat(md.getColumnCount()).isEqualTo(20);
        assertThat(md.getColumnLabel(4)).isEqualTo("INTEGER");
        assertThat(md.getColumnName(4)).isEqualTo("INTEGER_COL");
        assertThat(md.getColumnType(4)).isEqualTo(Types.INTEGER);
        assertThat(md.getColumnTypeName(4)).isEqualTo("INTEGER");
        assertThat(md.getColumnClassName(4)).isEqualTo(Integer.class.getName());
        assertThat(md.getColumnClassName(2)).isEqualTo(Integer.class.getName());
        assertThat(md.getColumnClassName(11)).isEqualTo(Clob.class.getName());
        assertThat(md.getColumnClassName(18)).isEqualTo(OffsetDateTime.class.getName());
        assertThat(md.getPrecision(8)).isEqualTo(10);
        assertThat(md.getScale(8)).isEqualTo(2);
        assertThat(md.isNullable(1)).isEqualTo(ResultSetMetaData.columnNullable);
        assertThat(md.getTableName(1)).isEqualTo("T");
        assertThat(md.getSchemaName(1)).isEqualTo("PUBLIC");
        assertThat(md.isSigned(4)).isTrue();
        assertThat(md.isSigned(10)).isFalse();
        assertThat(md.isAutoIncrement(1)).isFalse();
        assertThat(md.getColumnDisplaySize(4)).isEqualTo(11);
        assertThat(md.isCaseSensitive(10)).isTrue();
        assertThat(md.isReadOnly(1)).isTrue();
        assertThatThrownBy(() -> md.getColumnLabel(0)).isInstanceOf(SQLException.class);
        assertThat(md.isWrapperFor(LockstepResultSetMetaData.class)).isTrue();
    }

    @Test
    void memoryLobs() throws SQLException {
        MemoryBlob b = new MemoryBlob(new byte[] {1, 2, 3, 4});
        assertThat(b.position(new byte[] {3, 4}, 1)).isEqualTo(3);
        b.setBytes(4, new byte[] {9, 9});
        assertThat(b.getBytes(1, 10)).containsExactly(1, 2, 3, 9, 9);
        b.truncate(2);
        assertThat(b.length()).isEqualTo(2);
        MemoryClob c = new MemoryClob("hello world");
        assertThat(c.position("world", 1)).isEqualTo(7);
        c.setString(1, "J");
        assertThat(c.getSubString(1, 5)).isEqualTo("Jello");
        c.free();
        assertThatThrownBy(c::length).isInstanceOf(SQLException.class);
    }
}
