package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

class ParameterValuesTest {
    private static void check(Object in, ValueType type, Object expected) throws SQLException {
        Value v = ParameterValues.of(in);
        assertThat(v.type()).as("type of %s", in).isEqualTo(type);
        assertThat(v.value()).as("value of %s", in).isEqualTo(expected);
    }

    @Test
    void everyJavaType() throws SQLException {
        check(true, ValueType.BOOLEAN, true);
        check((byte) 7, ValueType.TINYINT, (byte) 7);
        check((short) 300, ValueType.SMALLINT, (short) 300);
        check(42, ValueType.INTEGER, 42);
        check(1L << 40, ValueType.BIGINT, 1L << 40);
        check(1.5f, ValueType.REAL, 1.5f);
        check(2.25d, ValueType.DOUBLE, 2.25d);
        check(new BigDecimal("12.340"), ValueType.DECIMAL, new BigDecimal("12.340"));
        check(new BigInteger("123456789012345678901234567890"), ValueType.DECIMAL,
                new BigDecimal("123456789012345678901234567890"));
        check("héllo", ValueType.VARCHAR, "héllo");
        check('x', ValueType.CHAR, "x");
        check(new char[] {'a', 'b'}, ValueType.VARCHAR, "ab");
        check(new byte[] {1, 2, 3}, ValueType.VARBINARY, new byte[] {1, 2, 3});
        UUID u = UUID.randomUUID();
        check(u, ValueType.UUID, u);
        check(LocalDate.of(2024, 2, 29), ValueType.DATE, LocalDate.of(2024, 2, 29));
        check(LocalTime.of(23, 59, 58, 123_456_789), ValueType.TIME, LocalTime.of(23, 59, 58, 123_456_789));
        check(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6), ValueType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6));
        OffsetDateTime odt = OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(5));
        check(odt, ValueType.TIMESTAMP_WITH_TIME_ZONE, odt);
        OffsetTime ot = OffsetTime.of(10, 11, 12, 0, ZoneOffset.ofHours(-3));
        check(ot, ValueType.TIME_WITH_TIME_ZONE, ot);
        ZonedDateTime zdt = ZonedDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris"));
        check(zdt, ValueType.TIMESTAMP_WITH_TIME_ZONE, zdt.toOffsetDateTime());
        Instant instant = Instant.parse("2024-03-04T05:06:07.5Z");
        check(instant, ValueType.TIMESTAMP_WITH_TIME_ZONE, instant.atOffset(ZoneOffset.UTC));
        check(MyEnum.B, ValueType.VARCHAR, "B");
    }

    enum MyEnum { A, B }

    @Test
    void sqlDateTimeConvertFieldByField() throws SQLException {
        check(java.sql.Date.valueOf("2024-02-29"), ValueType.DATE, LocalDate.of(2024, 2, 29));
        Time t = Time.valueOf("13:14:15");
        t.setTime(t.getTime() + 250);
        check(t, ValueType.TIME, LocalTime.of(13, 14, 15, 250_000_000));
        Timestamp ts = Timestamp.valueOf("2024-01-02 03:04:05.123456789");
        check(ts, ValueType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_789));
        java.util.Date d = new java.util.Date(ts.getTime());
        check(d, ValueType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000));
    }

    @Test
    void nullsLobsAndStreams() throws SQLException {
        assertThat(ParameterValues.of(null)).isEqualTo(Value.NULL);
        assertThat(ParameterValues.nullOf(Types.INTEGER)).isEqualTo(Value.NULL);
        check(new MemoryBlob(new byte[] {9, 8}), ValueType.BLOB, new byte[] {9, 8});
        check(new MemoryClob("clob text"), ValueType.CLOB, "clob text");
        check(new ByteArrayInputStream(new byte[] {4, 5}), ValueType.VARBINARY, new byte[] {4, 5});
        check(new StringReader("reader"), ValueType.VARCHAR, "reader");
        assertThat(ParameterValues.readBytes(new ByteArrayInputStream(new byte[] {1, 2, 3, 4}), 2))
                .containsExactly(1, 2);
        assertThat(ParameterValues.readChars(new StringReader("abcdef"), 3)).isEqualTo("abc");
        assertThat(ParameterValues.readAscii(new ByteArrayInputStream("ascii".getBytes()), -1)).isEqualTo("ascii");
        assertThatThrownBy(() -> ParameterValues.readBytes(new ByteArrayInputStream(new byte[0]),
                ParameterValues.MAX_LOB_SIZE + 1L)).isInstanceOf(SQLDataException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22001");
    }

    @Test
    void unsupportedType() {
        assertThatThrownBy(() -> ParameterValues.of(new Object()))
                .isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void targetSqlTypes() throws SQLException {
        assertThat(ParameterValues.of("42", Types.INTEGER)).isEqualTo(Value.of(ValueType.INTEGER, 42));
        assertThat(ParameterValues.of(42, Types.VARCHAR)).isEqualTo(Value.of(ValueType.VARCHAR, "42"));
        assertThat(ParameterValues.of(42, Types.BIGINT)).isEqualTo(Value.of(ValueType.BIGINT, 42L));
        assertThat(ParameterValues.of(1, Types.BOOLEAN)).isEqualTo(Value.of(ValueType.BOOLEAN, true));
        assertThat(ParameterValues.of("1.50", Types.DECIMAL))
                .isEqualTo(Value.of(ValueType.DECIMAL, new BigDecimal("1.50")));
        assertThat(ParameterValues.of(3, Types.DOUBLE)).isEqualTo(Value.of(ValueType.DOUBLE, 3.0d));
        assertThat(ParameterValues.of(3, Types.REAL)).isEqualTo(Value.of(ValueType.REAL, 3.0f));
        assertThat(ParameterValues.of(3, Types.SMALLINT)).isEqualTo(Value.of(ValueType.SMALLINT, (short) 3));
        assertThat(ParameterValues.of(3, Types.TINYINT)).isEqualTo(Value.of(ValueType.TINYINT, (byte) 3));
        assertThat(ParameterValues.of("2024-01-02", Types.DATE))
                .isEqualTo(Value.of(ValueType.DATE, LocalDate.of(2024, 1, 2)));
        assertThat(ParameterValues.of("2024-01-02 03:04:05", Types.TIMESTAMP))
                .isEqualTo(Value.of(ValueType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4, 5)));
        assertThat(ParameterValues.of(LocalDateTime.of(2024, 1, 2, 3, 4), Types.DATE))
                .isEqualTo(Value.of(ValueType.DATE, LocalDate.of(2024, 1, 2)));
        assertThat(ParameterValues.of("10:00", Types.TIME)).isEqualTo(Value.of(ValueType.TIME, LocalTime.of(10, 0)));
        assertThat(ParameterValues.of("x", Types.CLOB)).isEqualTo(Value.of(ValueType.CLOB, "x"));
        assertThat(ParameterValues.of(new byte[] {1}, Types.BLOB)).isEqualTo(Value.of(ValueType.BLOB, new byte[] {1}));
        assertThat(ParameterValues.of(null, Types.INTEGER)).isEqualTo(Value.NULL);
        assertThatThrownBy(() -> ParameterValues.of("abc", Types.INTEGER)).isInstanceOf(SQLDataException.class);
        assertThatThrownBy(() -> ParameterValues.of(100_000, Types.SMALLINT)).isInstanceOf(SQLDataException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("22003");
    }
}
