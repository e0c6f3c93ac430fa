package org.lockstepdb.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.UUID;

import org.lockstepdb.protocol.ArrayValue;
import org.lockstepdb.protocol.IntervalValue;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

import static org.lockstepdb.jdbc.TemporalConversions.formatOffset;
import static org.lockstepdb.jdbc.TemporalConversions.formatTime;
import static org.lockstepdb.jdbc.TemporalConversions.formatTimestamp;
import static org.lockstepdb.jdbc.TemporalConversions.toDate;
import static org.lockstepdb.jdbc.TemporalConversions.toLocalDate;
import static org.lockstepdb.jdbc.TemporalConversions.toLocalDateTime;
import static org.lockstepdb.jdbc.TemporalConversions.toLocalTime;
import static org.lockstepdb.jdbc.TemporalConversions.toOffsetDateTime;
import static org.lockstepdb.jdbc.TemporalConversions.toOffsetTime;
import static org.lockstepdb.jdbc.TemporalConversions.toTime;
import static org.lockstepdb.jdbc.TemporalConversions.toTimestamp;

/**
 * Wire values to Java: what {@code ResultSet} getters return. All conversions of a result cell live here.
 * Date/time values without a zone are converted field by field (never through the JVM time zone) except where
 * JDBC demands a {@code java.sql} type, whose {@code valueOf(Local...)} keeps the same fields.
 */
public final class ValueConversions {
    private static final HexFormat HEX = HexFormat.of();

    private ValueConversions() {
    }

    /** The object {@code ResultSet.getObject(int)} returns, as H2's driver does; null for SQL NULL. */
    public static Object toJdbcObject(Value v) {
        if (v == null || v.isNull()) {
            return null;
        }
        Object o = v.value();
        switch (v.type()) {
            case TINYINT: return ((Byte) o).intValue();
            case SMALLINT: return ((Short) o).intValue();
            case CLOB: return new MemoryClob((String) o);
            case VARBINARY: case JSON: return ((byte[]) o).clone();
            case BLOB: return new MemoryBlob((byte[]) o);
            case DATE: return Date.valueOf((LocalDate) o);
            case TIME: return toTime((LocalTime) o);
            case TIMESTAMP: return Timestamp.valueOf((LocalDateTime) o);
            case ARRAY: return new LockstepArray((ArrayValue) o);
            case INTERVAL: {
                Object h2 = IntervalConversions.toH2((IntervalValue) o);
                return h2 != null ? h2 : IntervalConversions.format((IntervalValue) o);
            }
            default: return o;
        }
    }

    /** The Java class name {@link #toJdbcObject} returns for a type (for {@code ResultSetMetaData.getColumnClassName}). */
    public static String jdbcClassName(ValueType type) {
        switch (type) {
            case BOOLEAN: return Boolean.class.getName();
            case TINYINT: case SMALLINT: case INTEGER: return Integer.class.getName();
            case BIGINT: return Long.class.getName();
            case REAL: return Float.class.getName();
            case DOUBLE: return Double.class.getName();
            case DECIMAL: return BigDecimal.class.getName();
            case CHAR: case VARCHAR: return String.class.getName();
            case CLOB: return Clob.class.getName();
            case VARBINARY: case JSON: return byte[].class.getName();
            case BLOB: return Blob.class.getName();
            case DATE: return Date.class.getName();
            case TIME: return Time.class.getName();
            case TIME_WITH_TIME_ZONE: return OffsetTime.class.getName();
            case TIMESTAMP: return Timestamp.class.getName();
            case TIMESTAMP_WITH_TIME_ZONE: return OffsetDateTime.class.getName();
            case UUID: return UUID.class.getName();
            case ARRAY: return java.sql.Array.class.getName();
            case INTERVAL: return "org.h2.api.Interval";
            default: return Object.class.getName();
        }
    }

    // ---- strings -------------------------------------------------------------------------------------------

    /** The text of a value, formatted like H2 does; null for SQL NULL. */
    public static String toString(Value v) {
        if (v == null || v.isNull()) {
            return null;
        }
        Object o = v.value();
        switch (v.type()) {
            case BOOLEAN: return ((Boolean) o) ? "TRUE" : "FALSE";
            case DECIMAL: return ((BigDecimal) o).toPlainString();
            // as H2 2.x: binary strings are read as UTF-8 text
            case VARBINARY: case BLOB: case JSON: return new String((byte[]) o, StandardCharsets.UTF_8);
            case ARRAY: {
                StringBuilder sb = new StringBuilder("[");
                for (Value e : ((ArrayValue) o).elements()) {
                    sb.append(sb.length() > 1 ? ", " : "").append(e.isNull() ? "null" : toString(e));
                }
                return sb.append(']').toString();
            }
            case INTERVAL: return IntervalConversions.format((IntervalValue) o);
            case TIME: return formatTime((LocalTime) o);
            case TIME_WITH_TIME_ZONE: {
                OffsetTime t = (OffsetTime) o;
                return formatTime(t.toLocalTime()) + formatOffset(t.getOffset());
            }
            case TIMESTAMP: return formatTimestamp((LocalDateTime) o);
            case TIMESTAMP_WITH_TIME_ZONE: {
                OffsetDateTime t = (OffsetDateTime) o;
                return formatTimestamp(t.toLocalDateTime()) + formatOffset(t.getOffset());
            }
            default: return o.toString();
        }
    }

    // ---- numbers -------------------------------------------------------------------------------------------

    public static boolean toBoolean(Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return false;
        }
        Object o = v.value();
        switch (v.type()) {
            case BOOLEAN: return (Boolean) o;
            case TINYINT: case SMALLINT: case INTEGER: case BIGINT: return ((Number) o).longValue() != 0;
            case REAL: case DOUBLE: {
                double d = ((Number) o).doubleValue();
                return d != 0 && !Double.isNaN(d); // as H2: NaN is false
            }
            case DECIMAL: return ((BigDecimal) o).signum() != 0;
            case CHAR: case VARCHAR: case CLOB: {
                String s = ((String) o).trim();
                if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("t") || s.equalsIgnoreCase("yes")
                        || s.equalsIgnoreCase("y") || s.equals("1")) {
                    return true;
                }
                if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("f") || s.equalsIgnoreCase("no")
                        || s.equalsIgnoreCase("n") || s.equals("0")) {
                    return false;
                }
                try {
                    return new BigDecimal(s).signum() != 0; // as H2: a number is true unless 0
                } catch (NumberFormatException e) {
                    throw cannot(v, "BOOLEAN");
                }
            }
            default: throw cannot(v, "BOOLEAN");
        }
    }

    public static long toLong(Value v, long min, long max, String target) throws SQLException {
        if (v == null || v.isNull()) {
            return 0;
        }
        Object o = v.value();
        long n;
        switch (v.type()) {
            case BOOLEAN: n = ((Boolean) o) ? 1 : 0; break;
            case TINYINT: case SMALLINT: case INTEGER: case BIGINT: n = ((Number) o).longValue(); break;
            case REAL: case DOUBLE: case DECIMAL: case CHAR: case VARCHAR: case CLOB: case INTERVAL: {
                if (o instanceof Double d && d.isNaN() || o instanceof Float f && f.isNaN()) {
                    return 0; // as H2 (a Java cast)
                }
                BigDecimal d = toBigDecimal(v);
                try {
                    // Like H2: round half up to an integer, then check the range.
                    n = d.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
                } catch (ArithmeticException e) {
                    throw outOfRange(v, target);
                }
                break;
            }
            default: throw cannot(v, target);
        }
        if (n < min || n > max) {
            throw outOfRange(v, target);
        }
        return n;
    }

    public static int toInt(Value v) throws SQLException {
        return (int) toLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "INTEGER");
    }

    public static double toDouble(Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return 0;
        }
        switch (v.type()) {
            case REAL: case DOUBLE: return ((Number) v.value()).doubleValue();
            case CHAR: case VARCHAR: case CLOB: {
                String s = ((String) v.value()).trim();
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw cannot(v, "DOUBLE PRECISION");
                }
            }
            default: return toBigDecimal(v).doubleValue();
        }
    }

    public static BigDecimal toBigDecimal(Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return null;
        }
        Object o = v.value();
        switch (v.type()) {
            case BOOLEAN: return ((Boolean) o) ? BigDecimal.ONE : BigDecimal.ZERO;
            case TINYINT: case SMALLINT: case INTEGER: case BIGINT: return BigDecimal.valueOf(((Number) o).longValue());
            case REAL: case DOUBLE: {
                double d = ((Number) o).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw cannot(v, "NUMERIC");
                }
                return v.type() == ValueType.REAL ? new BigDecimal(Float.toString((Float) o)) : BigDecimal.valueOf(d);
            }
            case DECIMAL: return (BigDecimal) o;
            case INTERVAL: return IntervalConversions.toNumber((IntervalValue) o);
            case CHAR: case VARCHAR: case CLOB:
                try {
                    return new BigDecimal(((String) o).trim());
                } catch (NumberFormatException e) {
                    throw cannot(v, "NUMERIC");
                }
            default: throw cannot(v, "NUMERIC");
        }
    }

    // ---- bytes ---------------------------------------------------------------------------------------------

    public static byte[] toBytes(Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return null;
        }
        Object o = v.value();
        switch (v.type()) {
            case VARBINARY: case BLOB: case JSON: return ((byte[]) o).clone();
            // as H2: integers as their big-endian two's complement bytes
            case TINYINT: return new byte[] {(Byte) o};
            case SMALLINT: return java.nio.ByteBuffer.allocate(2).putShort((Short) o).array();
            case INTEGER: return java.nio.ByteBuffer.allocate(4).putInt((Integer) o).array();
            case BIGINT: return java.nio.ByteBuffer.allocate(8).putLong((Long) o).array();
            case UUID: {
                UUID u = (UUID) o;
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
                b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
                return b.array();
            }
            case CHAR: case VARCHAR: case CLOB: return ((String) o).getBytes(StandardCharsets.UTF_8);
            default: throw cannot(v, "BINARY VARYING");
        }
    }

    public static UUID toUuid(Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return null;
        }
        switch (v.type()) {
            case UUID: return (UUID) v.value();
            case CHAR: case VARCHAR:
                try {
                    return UUID.fromString(((String) v.value()).trim());
                } catch (IllegalArgumentException e) {
                    throw cannot(v, "UUID");
                }
            case VARBINARY: {
                byte[] b = (byte[]) v.value();
                if (b.length == 16) {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
                    return new UUID(buf.getLong(), buf.getLong());
                }
                throw cannot(v, "UUID");
            }
            default: throw cannot(v, "UUID");
        }
    }

    // ---- getObject(i, Class) -------------------------------------------------------------------------------

    /** {@code ResultSet.getObject(int, Class)}: the value converted to {@code type}; null for SQL NULL. */
    public static <T> T convert(Value v, Class<T> type) throws SQLException {
        if (type == null) {
            throw new SQLException("type must not be null", "HY009");
        }
        if (v == null || v.isNull()) {
            return null;
        }
        Object r;
        if (type == Object.class) {
            // as H2's driver: a conversion to JAVA_OBJECT, which deserializes binary strings and refuses the rest
            throw v.type() == ValueType.VARBINARY || v.type() == ValueType.BLOB
                    ? new SQLException("Deserialization of a " + v.type() + " is not supported", "90027", 90027)
                    : cannot(v, "JAVA_OBJECT");
        } else if (type == String.class) {
            r = toString(v);
        } else if (type == Boolean.class) {
            r = toBoolean(v);
        } else if (type == Byte.class) {
            r = (byte) toLong(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT");
        } else if (type == Short.class) {
            r = (short) toLong(v, Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT");
        } else if (type == Integer.class) {
            r = toInt(v);
        } else if (type == Long.class) {
            r = toLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "BIGINT");
        } else if (type == Float.class) {
            r = (float) toDouble(v);
        } else if (type == Double.class) {
            r = toDouble(v);
        } else if (type == BigDecimal.class) {
            r = toBigDecimal(v);
        } else if (type == BigInteger.class) {
            // an INTERVAL converts as to BIGINT (rounded half up), numbers keep their integer part
            r = v.type() == ValueType.INTERVAL ? BigInteger.valueOf(toLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "BIGINT"))
                    : toBigDecimal(v).toBigInteger();
        } else if (type == byte[].class) {
            r = toBytes(v);
        } else if (type == LocalDate.class) {
            r = toLocalDate(v);
        } else if (type == LocalTime.class) {
            r = toLocalTime(v);
        } else if (type == LocalDateTime.class) {
            r = toLocalDateTime(v);
        } else if (type == OffsetDateTime.class) {
            r = toOffsetDateTime(v);
        } else if (type == OffsetTime.class) {
            r = toOffsetTime(v);
        } else if (type == ZonedDateTime.class) {
            r = toOffsetDateTime(v).toZonedDateTime();
        } else if (type == Instant.class) {
            r = toOffsetDateTime(v).toInstant();
        } else if (type == Date.class) {
            r = toDate(v, null);
        } else if (type == Time.class) {
            r = toTime(v, null);
        } else if (type == Timestamp.class) {
            r = toTimestamp(v, null);
        } else if (type == java.util.Date.class) {
            r = new java.util.Date(toTimestamp(v, null).getTime());
        } else if (type == java.sql.Array.class || type == Object[].class) {
            if (v.type() != ValueType.ARRAY) {
                throw cannot(v, "ARRAY");
            }
            LockstepArray a = new LockstepArray((ArrayValue) v.value());
            r = type == java.sql.Array.class ? a : a.getArray();
        } else if (type == java.time.Duration.class || type == java.time.Period.class
                || type.getName().equals("org.h2.api.Interval")) {
            IntervalValue i = v.type() == ValueType.INTERVAL ? (IntervalValue) v.value()
                    : IntervalConversions.ofNumber(v, type == java.time.Period.class);
            r = type == java.time.Duration.class ? IntervalConversions.toDuration(i, toString(v))
                    : type == java.time.Period.class ? IntervalConversions.toPeriod(i, toString(v))
                    : IntervalConversions.toH2(i);
        } else if (type == UUID.class) {
            r = toUuid(v);
        } else if (type == Blob.class) {
            r = new MemoryBlob(toBytes(v));
        } else if (type == Clob.class || type == java.sql.NClob.class) {
            r = new MemoryClob(toString(v));
        } else {
            Object o = toJdbcObject(v);
            if (type.isInstance(o)) {
                r = o;
            } else {
                throw new SQLDataException("Cannot convert a " + v.type() + " value to " + type.getName(), "22018");
            }
        }
        return type.cast(r);
    }

    static SQLException cannot(Value v, String target) {
        String text = v.value() instanceof byte[] ? v.type().toString() : String.valueOf(v.value());
        if (text.length() > 100) {
            text = text.substring(0, 100) + "...";
        }
        return new SQLDataException("Data conversion error converting " + v.type() + " \"" + text + "\" to "
                + target, "22018");
    }

    static SQLException outOfRange(Value v, String target) {
        return new SQLDataException("Numeric value out of range: \"" + v.value() + "\" as " + target, "22003");
    }
}
