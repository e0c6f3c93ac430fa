package org.lockstepdb.jdbc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.util.List;
import java.util.ArrayList;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLType;
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
import java.util.Calendar;
import java.util.UUID;

import org.lockstepdb.protocol.ArrayValue;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

/**
 * Java parameter values to wire values: everything {@code PreparedStatement.setXxx} accepts. {@code java.sql}
 * date/time classes convert field by field ({@code toLocalDate()} etc.), never through a time zone; an
 * {@link Instant} becomes a TIMESTAMP WITH TIME ZONE at UTC.
 */
public final class ParameterValues {
    /** Largest LOB or stream parameter, in bytes (or chars): the whole write must fit in one log entry anyway. */
    public static final int MAX_LOB_SIZE = 16 * 1024 * 1024;

    private ParameterValues() {
    }

    /** {@code setObject(i, x)}: the wire value for any supported Java object; {@code null} is SQL NULL. */
    public static Value of(Object x) throws SQLException {
        if (x == null) {
            return Value.NULL;
        }
        if (x instanceof Value) {
            return (Value) x;
        }
        if (x instanceof String) {
            return Value.of(ValueType.VARCHAR, x);
        }
        if (x instanceof Integer) {
            return Value.of(ValueType.INTEGER, x);
        }
        if (x instanceof Long) {
            return Value.of(ValueType.BIGINT, x);
        }
        if (x instanceof Boolean) {
            return Value.of(ValueType.BOOLEAN, x);
        }
        if (x instanceof Short) {
            return Value.of(ValueType.SMALLINT, x);
        }
        if (x instanceof Byte) {
            return Value.of(ValueType.TINYINT, x);
        }
        if (x instanceof Double) {
            return Value.of(ValueType.DOUBLE, x);
        }
        if (x instanceof Float) {
            return Value.of(ValueType.REAL, x);
        }
        if (x instanceof BigDecimal) {
            return Value.of(ValueType.DECIMAL, x);
        }
        if (x instanceof BigInteger) {
            return Value.of(ValueType.DECIMAL, new BigDecimal((BigInteger) x));
        }
        if (x instanceof Character) {
            return Value.of(ValueType.CHAR, x.toString());
        }
        if (x instanceof char[]) {
            return Value.of(ValueType.VARCHAR, new String((char[]) x));
        }
        if (x instanceof byte[]) {
            return Value.of(ValueType.VARBINARY, ((byte[]) x).clone());
        }
        if (x instanceof UUID) {
            return Value.of(ValueType.UUID, x);
        }
        if (x instanceof LocalDate) {
            return Value.of(ValueType.DATE, x);
        }
        if (x instanceof LocalTime) {
            return Value.of(ValueType.TIME, x);
        }
        if (x instanceof LocalDateTime) {
            return Value.of(ValueType.TIMESTAMP, x);
        }
        if (x instanceof OffsetDateTime) {
            return Value.of(ValueType.TIMESTAMP_WITH_TIME_ZONE, x);
        }
        if (x instanceof OffsetTime) {
            return Value.of(ValueType.TIME_WITH_TIME_ZONE, x);
        }
        if (x instanceof ZonedDateTime) {
            return Value.of(ValueType.TIMESTAMP_WITH_TIME_ZONE, ((ZonedDateTime) x).toOffsetDateTime());
        }
        if (x instanceof Instant) {
            return Value.of(ValueType.TIMESTAMP_WITH_TIME_ZONE, ((Instant) x).atOffset(ZoneOffset.UTC));
        }
        if (x instanceof java.sql.Date) {
            return Value.of(ValueType.DATE, ((java.sql.Date) x).toLocalDate());
        }
        if (x instanceof Time) {
            return Value.of(ValueType.TIME, toLocalTime((Time) x));
        }
        if (x instanceof Timestamp) {
            return Value.of(ValueType.TIMESTAMP, ((Timestamp) x).toLocalDateTime());
        }
        if (x instanceof java.util.Date) {
            // A plain java.util.Date is an instant; like H2, read it in the JVM's zone as a TIMESTAMP.
            return Value.of(ValueType.TIMESTAMP, new Timestamp(((java.util.Date) x).getTime()).toLocalDateTime());
        }
        if (x instanceof Calendar) {
            Calendar c = (Calendar) x;
            return Value.of(ValueType.TIMESTAMP_WITH_TIME_ZONE,
                    OffsetDateTime.ofInstant(c.toInstant(), c.getTimeZone().toZoneId()));
        }
        if (x instanceof Blob) {
            return Value.of(ValueType.BLOB, readBlob((Blob) x));
        }
        if (x instanceof Clob) {
            return Value.of(ValueType.CLOB, readClob((Clob) x));
        }
        if (x instanceof InputStream) {
            return Value.of(ValueType.VARBINARY, readBytes((InputStream) x, -1));
        }
        if (x instanceof Reader) {
            return Value.of(ValueType.VARCHAR, readChars((Reader) x, -1));
        }
        if (x instanceof Object[] array) {
            return Value.of(ValueType.ARRAY, arrayOf("", array));
        }
        if (x instanceof LockstepArray a) {
            return Value.of(ValueType.ARRAY, a.value());
        }
        if (x instanceof java.sql.Array a) {
            return Value.of(ValueType.ARRAY, arrayOf(a.getBaseTypeName(), (Object[]) a.getArray()));
        }
        if (x instanceof java.time.Duration d) {
            return Value.of(ValueType.INTERVAL, IntervalConversions.of(d));
        }
        if (x instanceof java.time.Period p) {
            return Value.of(ValueType.INTERVAL, IntervalConversions.of(p));
        }
        if (IntervalConversions.isH2Interval(x)) {
            return Value.of(ValueType.INTERVAL, IntervalConversions.ofH2(x));
        }
        if (x instanceof Enum) {
            return Value.of(ValueType.VARCHAR, ((Enum<?>) x).name());
        }
        throw new SQLFeatureNotSupportedException("Unsupported parameter type " + x.getClass().getName(), "0A000");
    }

    /** An ARRAY of Java objects, each element converted as {@code setObject} converts it (nested arrays too). */
    static ArrayValue arrayOf(String baseTypeName, Object[] elements) throws SQLException {
        List<Value> values = new ArrayList<>(elements.length);
        for (Object e : elements) {
            values.add(of(e));
        }
        return new ArrayValue(Types.NULL, baseTypeName, values);
    }

    /** {@code java.sql.Time} to a time of day, keeping the milliseconds ({@code Time.toLocalTime()} drops them). */
    @SuppressWarnings("deprecation")
    static LocalTime toLocalTime(Time t) {
        int millis = (int) Math.floorMod(t.getTime(), 1000L);
        return LocalTime.of(t.getHours(), t.getMinutes(), t.getSeconds(), millis * 1_000_000);
    }

    /** {@code setObject(i, x, targetSqlType)}: x converted to the {@link Types} target. */
    public static Value of(Object x, int targetSqlType) throws SQLException {
        return coerce(of(x), targetSqlType);
    }

    /** {@code setObject(i, x, targetSqlType, scaleOrLength)}: a DECIMAL/NUMERIC target rounded HALF_UP to the scale. */
    static Value of(Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        Value v = of(x, targetSqlType);
        if ((targetSqlType == Types.DECIMAL || targetSqlType == Types.NUMERIC) && !v.isNull()) {
            v = Value.of(ValueType.DECIMAL, ((BigDecimal) v.value()).setScale(scaleOrLength,
                    java.math.RoundingMode.HALF_UP));
        }
        return v;
    }

    /** The {@link Types} code of a {@code SQLType}; 0A000 if it has none. */
    static int vendorType(SQLType t) throws SQLException {
        if (t == null || t.getVendorTypeNumber() == null) {
            throw JdbcSupport.unsupported("SQLType " + t);
        }
        return t.getVendorTypeNumber();
    }

    /** {@code setDate(i, x, cal)}: the date x's instant has in the calendar's zone (no calendar: {@link #of(Object)}). */
    static Value of(java.sql.Date x, Calendar cal) throws SQLException {
        if (x == null || cal == null) {
            return of(x);
        }
        return Value.of(ValueType.DATE, LocalDateTime.ofInstant(Instant.ofEpochMilli(x.getTime()),
                cal.getTimeZone().toZoneId()).toLocalDate());
    }

    /** {@code setTime(i, x, cal)}: the time of day x's instant has in the calendar's zone. */
    static Value of(Time x, Calendar cal) throws SQLException {
        if (x == null || cal == null) {
            return of(x);
        }
        return Value.of(ValueType.TIME, LocalDateTime.ofInstant(Instant.ofEpochMilli(x.getTime()),
                cal.getTimeZone().toZoneId()).toLocalTime());
    }

    /** {@code setTimestamp(i, x, cal)}: the local date-time x's instant has in the calendar's zone, nanos kept. */
    static Value of(Timestamp x, Calendar cal) throws SQLException {
        if (x == null || cal == null) {
            return of(x);
        }
        LocalDateTime t = LocalDateTime.ofInstant(x.toInstant(), cal.getTimeZone().toZoneId());
        return Value.of(ValueType.TIMESTAMP, t.withNano(x.getNanos()));
    }

    /** The value converted to a {@link Types} code (as the JDBC spec's setObject conversion table). */
    public static Value coerce(Value v, int sqlType) throws SQLException {
        if (v.isNull()) {
            return Value.NULL;
        }
        switch (sqlType) {
            case Types.NULL: return Value.NULL;
            case Types.BOOLEAN: case Types.BIT: return Value.of(ValueType.BOOLEAN, ValueConversions.toBoolean(v));
            case Types.TINYINT:
                return Value.of(ValueType.TINYINT, (byte) ValueConversions.toLong(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT"));
            case Types.SMALLINT:
                return Value.of(ValueType.SMALLINT, (short) ValueConversions.toLong(v, Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT"));
            case Types.INTEGER: return Value.of(ValueType.INTEGER, ValueConversions.toInt(v));
            case Types.BIGINT:
                return Value.of(ValueType.BIGINT, ValueConversions.toLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "BIGINT"));
            case Types.REAL: return Value.of(ValueType.REAL, (float) ValueConversions.toDouble(v));
            case Types.FLOAT: case Types.DOUBLE: return Value.of(ValueType.DOUBLE, ValueConversions.toDouble(v));
            case Types.DECIMAL: case Types.NUMERIC: return Value.of(ValueType.DECIMAL, ValueConversions.toBigDecimal(v));
            case Types.CHAR: case Types.NCHAR: return Value.of(ValueType.CHAR, ValueConversions.toString(v));
            case Types.VARCHAR: case Types.NVARCHAR: case Types.LONGVARCHAR: case Types.LONGNVARCHAR:
                return Value.of(ValueType.VARCHAR, ValueConversions.toString(v));
            case Types.CLOB: case Types.NCLOB: return Value.of(ValueType.CLOB, ValueConversions.toString(v));
            case Types.BINARY: case Types.VARBINARY: case Types.LONGVARBINARY:
                return v.type() == ValueType.UUID ? v : Value.of(ValueType.VARBINARY, ValueConversions.toBytes(v));
            case Types.BLOB: return Value.of(ValueType.BLOB, ValueConversions.toBytes(v));
            case Types.DATE: return Value.of(ValueType.DATE, TemporalConversions.toLocalDate(v));
            case Types.TIME: return Value.of(ValueType.TIME, TemporalConversions.toLocalTime(v));
            case Types.TIMESTAMP: return Value.of(ValueType.TIMESTAMP, TemporalConversions.toLocalDateTime(v));
            case Types.TIME_WITH_TIMEZONE:
                return Value.of(ValueType.TIME_WITH_TIME_ZONE, TemporalConversions.toOffsetTime(v));
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return Value.of(ValueType.TIMESTAMP_WITH_TIME_ZONE, TemporalConversions.toOffsetDateTime(v));
            case Types.OTHER: case Types.JAVA_OBJECT: case Types.ARRAY:
                return v;
            default:
                throw new SQLFeatureNotSupportedException("Unsupported target SQL type " + sqlType, "0A000");
        }
    }

    /** The wire type for {@code setNull(i, sqlType)}: always {@link Value#NULL} (the server infers the type). */
    public static Value nullOf(int sqlType) {
        return Value.NULL;
    }

    static byte[] readBlob(Blob b) throws SQLException {
        long len = b.length();
        checkSize(len);
        return b.getBytes(1, (int) len);
    }

    static String readClob(Clob c) throws SQLException {
        long len = c.length();
        checkSize(len);
        return c.getSubString(1, (int) len);
    }

    /** Reads a stream fully (or {@code length} bytes when >= 0), bounded by {@link #MAX_LOB_SIZE}. */
    public static byte[] readBytes(InputStream in, long length) throws SQLException {
        if (length > MAX_LOB_SIZE) {
            checkSize(length);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long remaining = length < 0 ? Long.MAX_VALUE : length;
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                remaining -= n;
                checkSize(out.size());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new SQLException("Reading the stream parameter failed: " + e.getMessage(), "HY000", e);
        }
    }

    /** Reads a reader fully (or {@code length} chars when >= 0), bounded by {@link #MAX_LOB_SIZE}. */
    public static String readChars(Reader in, long length) throws SQLException {
        if (length > MAX_LOB_SIZE) {
            checkSize(length);
        }
        try {
            StringBuilder out = new StringBuilder();
            char[] buf = new char[8192];
            long remaining = length < 0 ? Long.MAX_VALUE : length;
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    break;
                }
                out.append(buf, 0, n);
                remaining -= n;
                checkSize(out.length());
            }
            return out.toString();
        } catch (IOException e) {
            throw new SQLException("Reading the character stream parameter failed: " + e.getMessage(), "HY000", e);
        }
    }

    /** An ASCII stream as text. */
    public static String readAscii(InputStream in, long length) throws SQLException {
        return new String(readBytes(in, length), StandardCharsets.US_ASCII);
    }

    private static void checkSize(long size) throws SQLException {
        if (size > MAX_LOB_SIZE) {
            throw new SQLDataException("A LOB or stream parameter is larger than the limit of " + MAX_LOB_SIZE
                    + " bytes (a whole write must fit in one log entry)", "22001");
        }
    }
}
