package org.lockstepdb.server.it;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;

/**
 * The table {@link TypeParityIT} runs through embedded H2's driver and LockstepDB's: column types with a value
 * each (read with every getter), and setters (each bound into columns of many types, then read back).
 */
final class TypeCases {
    private TypeCases() {
    }

    /** A column type and one SQL literal of it. */
    record Stored(String sqlType, String literal) {
    }

    static List<Stored> stored() {
        return List.of(
                new Stored("BOOLEAN", "TRUE"),
                new Stored("BOOLEAN", "FALSE"),
                new Stored("TINYINT", "-7"),
                new Stored("SMALLINT", "300"),
                new Stored("INTEGER", "65"),
                new Stored("INTEGER", "-2147483648"),
                new Stored("BIGINT", "9000000000"),
                new Stored("BIGINT", "1"),
                new Stored("NUMERIC(10, 2)", "12.5"),
                new Stored("NUMERIC(30, 0)", "123456789012345678901234567890"),
                new Stored("DECFLOAT", "1.25E+3"),
                new Stored("DECFLOAT", "CAST('Infinity' AS DECFLOAT)"),
                new Stored("REAL", "1.5"),
                new Stored("DOUBLE PRECISION", "2.25"),
                new Stored("DOUBLE PRECISION", "CAST('NaN' AS DOUBLE PRECISION)"),
                new Stored("CHAR(5)", "'ab'"),
                new Stored("VARCHAR(40)", "'true'"),
                new Stored("VARCHAR(40)", "'42'"),
                new Stored("VARCHAR(40)", "'2020-01-02 03:04:05'"),
                new Stored("VARCHAR(40)", "'héllo wörld'"),
                new Stored("VARCHAR_IGNORECASE(10)", "'MiXeD'"),
                new Stored("CLOB", "'a clob'"),
                new Stored("BINARY(3)", "X'414243'"),
                new Stored("VARBINARY(10)", "X'41ff00'"),
                new Stored("BLOB", "X'cafe'"),
                new Stored("DATE", "DATE '2020-01-02'"),
                new Stored("TIME", "TIME '10:11:12'"),
                new Stored("TIME(9)", "TIME '10:11:12.123456789'"),
                new Stored("TIME WITH TIME ZONE", "TIME WITH TIME ZONE '10:11:12+02:30'"),
                new Stored("TIMESTAMP", "TIMESTAMP '2020-01-02 03:04:05.123456'"),
                new Stored("TIMESTAMP(9)", "TIMESTAMP '1969-12-31 23:59:59.999999999'"),
                new Stored("TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE '2020-01-02 03:04:05-08:00'"),
                new Stored("INTERVAL YEAR", "INTERVAL '3' YEAR"),
                new Stored("INTERVAL YEAR TO MONTH", "INTERVAL '-1-2' YEAR TO MONTH"),
                new Stored("INTERVAL MONTH", "INTERVAL '14' MONTH"),
                new Stored("INTERVAL DAY", "INTERVAL '5' DAY"),
                new Stored("INTERVAL DAY TO HOUR", "INTERVAL '5 03' DAY TO HOUR"),
                new Stored("INTERVAL DAY TO SECOND", "INTERVAL '3 04:05:06.5' DAY TO SECOND"),
                new Stored("INTERVAL HOUR TO MINUTE", "INTERVAL '-10:30' HOUR TO MINUTE"),
                new Stored("INTERVAL SECOND(2, 3)", "INTERVAL '7.25' SECOND"),
                new Stored("INTERVAL MINUTE TO SECOND", "INTERVAL '02:03.001' MINUTE TO SECOND"),
                new Stored("INTERVAL HOUR(3)", "INTERVAL '100' HOUR"),
                new Stored("INTERVAL MINUTE", "INTERVAL '-7' MINUTE"),
                new Stored("INTERVAL DAY TO MINUTE", "INTERVAL '5 03:04' DAY TO MINUTE"),
                new Stored("INTERVAL HOUR TO SECOND", "INTERVAL '1:02:03.25' HOUR TO SECOND"),
                new Stored("UUID", "UUID '123e4567-e89b-12d3-a456-426614174000'"),
                new Stored("JSON", "JSON '{\"a\":[1,true,null]}'"),
                new Stored("JSON", "JSON '\"text\"'"),
                new Stored("INTEGER ARRAY", "ARRAY[1, NULL, 3]"),
                new Stored("VARCHAR(10) ARRAY[4]", "ARRAY['a', 'b c']"),
                new Stored("INTEGER ARRAY ARRAY", "ARRAY[ARRAY[1], ARRAY[2, 3]]"),
                new Stored("DATE ARRAY", "ARRAY[DATE '2020-01-02']"),
                new Stored("INTEGER ARRAY", "ARRAY[]"),
                new Stored("INTERVAL DAY ARRAY", "ARRAY[INTERVAL '1' DAY, NULL]"),
                new Stored("VARBINARY(4) ARRAY", "ARRAY[X'41', X'ff00']"),
                new Stored("TIMESTAMP WITH TIME ZONE ARRAY", "ARRAY[TIMESTAMP WITH TIME ZONE '2020-01-02 03:04:05+01']"),
                new Stored("ENUM('red', 'green')", "'green'"),
                new Stored("GEOMETRY", "'POINT (1 2)'"),
                new Stored("ROW(A INT, B VARCHAR(5))", "ROW(1, 'x')"));
    }

    interface Setter {
        void set(PreparedStatement ps, int index) throws Exception;
    }

    /** Column types a value is written into with each setter. */
    static List<String> targets() {
        return List.of("INTEGER", "BIGINT", "NUMERIC(10, 2)", "DOUBLE PRECISION", "BOOLEAN", "VARCHAR(60)", "CLOB",
                "VARBINARY(40)", "BLOB", "DATE", "TIME(9)", "TIMESTAMP(9)", "TIMESTAMP(9) WITH TIME ZONE",
                "TIME WITH TIME ZONE", "UUID", "JSON", "INTEGER ARRAY", "VARCHAR(10) ARRAY",
                "INTERVAL DAY TO SECOND", "INTERVAL YEAR TO MONTH", "ENUM('red', 'green')");
    }

    /** Each setter, by a name that says what it binds. */
    static Map<String, Setter> setters() {
        Calendar plus5 = Calendar.getInstance(TimeZone.getTimeZone("GMT+05:00"));
        Map<String, Setter> s = new LinkedHashMap<>();
        s.put("setInt(7)", (ps, i) -> ps.setInt(i, 7));
        s.put("setLong(1)", (ps, i) -> ps.setLong(i, 1));
        s.put("setShort(3)", (ps, i) -> ps.setShort(i, (short) 3));
        s.put("setByte(-2)", (ps, i) -> ps.setByte(i, (byte) -2));
        s.put("setBoolean(true)", (ps, i) -> ps.setBoolean(i, true));
        s.put("setDouble(1.5)", (ps, i) -> ps.setDouble(i, 1.5));
        s.put("setFloat(2.5)", (ps, i) -> ps.setFloat(i, 2.5f));
        s.put("setBigDecimal(12.345)", (ps, i) -> ps.setBigDecimal(i, new BigDecimal("12.345")));
        s.put("setObject(BigInteger)", (ps, i) -> ps.setObject(i, BigInteger.valueOf(77)));
        s.put("setString(12)", (ps, i) -> ps.setString(i, "12"));
        s.put("setString(green)", (ps, i) -> ps.setString(i, "green"));
        s.put("setString(date)", (ps, i) -> ps.setString(i, "2020-01-02"));
        s.put("setString(timestamp)", (ps, i) -> ps.setString(i, "2020-01-02 03:04:05.5"));
        s.put("setString(uuid)", (ps, i) -> ps.setString(i, "123e4567-e89b-12d3-a456-426614174000"));
        s.put("setString(json)", (ps, i) -> ps.setString(i, "{\"k\":1}"));
        s.put("setString(interval)", (ps, i) -> ps.setString(i, "INTERVAL '1 02:03:04' DAY TO SECOND"));
        s.put("setNString(x)", (ps, i) -> ps.setNString(i, "x"));
        s.put("setBytes(4142)", (ps, i) -> ps.setBytes(i, new byte[] {0x41, 0x42}));
        s.put("setBytes(16)", (ps, i) -> ps.setBytes(i, new byte[16]));
        s.put("setBinaryStream", (ps, i) -> ps.setBinaryStream(i, new ByteArrayInputStream(new byte[] {1, 2})));
        s.put("setCharacterStream", (ps, i) -> ps.setCharacterStream(i, new StringReader("chars")));
        s.put("setAsciiStream", (ps, i) -> ps.setAsciiStream(i,
                new ByteArrayInputStream("ascii".getBytes(StandardCharsets.US_ASCII))));
        s.put("setDate", (ps, i) -> ps.setDate(i, java.sql.Date.valueOf("2020-01-02")));
        s.put("setDate(cal+5)", (ps, i) -> ps.setDate(i, java.sql.Date.valueOf("2020-01-02"), plus5));
        s.put("setTime", (ps, i) -> ps.setTime(i, java.sql.Time.valueOf("10:11:12")));
        s.put("setTime(cal+5)", (ps, i) -> ps.setTime(i, java.sql.Time.valueOf("10:11:12"), plus5));
        s.put("setTimestamp", (ps, i) -> ps.setTimestamp(i, java.sql.Timestamp.valueOf("2020-01-02 03:04:05.123")));
        s.put("setTimestamp(cal+5)", (ps, i) ->
                ps.setTimestamp(i, java.sql.Timestamp.valueOf("2020-01-02 03:04:05.123"), plus5));
        s.put("setObject(LocalDate)", (ps, i) -> ps.setObject(i, LocalDate.of(2021, 3, 4)));
        s.put("setObject(LocalTime)", (ps, i) -> ps.setObject(i, LocalTime.of(5, 6, 7, 8)));
        s.put("setObject(LocalDateTime)", (ps, i) -> ps.setObject(i, LocalDateTime.of(2021, 3, 4, 5, 6, 7)));
        s.put("setObject(OffsetDateTime)", (ps, i) ->
                ps.setObject(i, OffsetDateTime.of(2021, 3, 4, 5, 6, 7, 0, ZoneOffset.ofHours(3))));
        s.put("setObject(OffsetTime)", (ps, i) -> ps.setObject(i, OffsetTime.of(5, 6, 7, 0, ZoneOffset.ofHours(-3))));
        s.put("setObject(ZonedDateTime)", (ps, i) ->
                ps.setObject(i, ZonedDateTime.of(2021, 3, 4, 5, 6, 7, 0, ZoneOffset.ofHours(1))));
        s.put("setObject(Instant)", (ps, i) -> ps.setObject(i, Instant.parse("2021-03-04T05:06:07Z")));
        s.put("setObject(UUID)", (ps, i) -> ps.setObject(i, UUID.fromString("123e4567-e89b-12d3-a456-426614174000")));
        s.put("setObject(Integer[])", (ps, i) -> ps.setObject(i, new Integer[] {1, null, 3}));
        s.put("setObject(String[])", (ps, i) -> ps.setObject(i, new String[] {"red", "x"}));
        s.put("setArray(createArrayOf INTEGER)", (ps, i) ->
                ps.setArray(i, ps.getConnection().createArrayOf("INTEGER", new Object[] {4, 5})));
        s.put("setArray(createArrayOf VARCHAR)", (ps, i) ->
                ps.setArray(i, ps.getConnection().createArrayOf("VARCHAR", new Object[] {"p", "q"})));
        s.put("setObject(Duration)", (ps, i) -> ps.setObject(i, Duration.ofSeconds(93_784, 5_000_000)));
        s.put("setObject(Period)", (ps, i) -> ps.setObject(i, Period.of(1, 2, 0)));
        s.put("setObject(Interval)", (ps, i) -> ps.setObject(i, org.h2.api.Interval.ofDaysHoursMinutesSeconds(
                2, 3, 4, 5)));
        s.put("setObject(x, VARCHAR)", (ps, i) -> ps.setObject(i, 17, Types.VARCHAR));
        s.put("setObject(x, INTEGER)", (ps, i) -> ps.setObject(i, "18", Types.INTEGER));
        s.put("setObject(x, TIMESTAMP)", (ps, i) -> ps.setObject(i, "2020-01-02 03:04:05", Types.TIMESTAMP));
        s.put("setNull(INTEGER)", (ps, i) -> ps.setNull(i, Types.INTEGER));
        s.put("setNull(VARCHAR)", (ps, i) -> ps.setNull(i, Types.VARCHAR));
        s.put("setNull(ARRAY)", (ps, i) -> ps.setNull(i, Types.ARRAY));
        s.put("setObject(null)", (ps, i) -> ps.setObject(i, null));
        return s;
    }
}
