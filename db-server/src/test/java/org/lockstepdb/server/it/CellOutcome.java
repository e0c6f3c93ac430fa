package org.lockstepdb.server.it;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;

/**
 * What one JDBC call on one result cell gave, as text that two drivers can be compared by: the Java class (the
 * JDBC interface for LOBs and arrays, whose classes are each driver's own) and the value, or {@code EX:<SQLState>}.
 */
final class CellOutcome {
    private static final HexFormat HEX = HexFormat.of();

    private CellOutcome() {
    }

    interface Getter {
        Object get(ResultSet rs, int column) throws Exception;
    }

    /** Every getter a result cell answers, by name; {@code getObject(i, Class)} once per class. */
    static Map<String, Getter> getters() {
        Calendar plus5 = Calendar.getInstance(TimeZone.getTimeZone("GMT+05:00"));
        Map<String, Getter> g = new LinkedHashMap<>();
        g.put("getString", ResultSet::getString);
        g.put("getNString", ResultSet::getNString);
        g.put("getBoolean", ResultSet::getBoolean);
        g.put("getByte", ResultSet::getByte);
        g.put("getShort", ResultSet::getShort);
        g.put("getInt", ResultSet::getInt);
        g.put("getLong", ResultSet::getLong);
        g.put("getFloat", ResultSet::getFloat);
        g.put("getDouble", ResultSet::getDouble);
        g.put("getBigDecimal", ResultSet::getBigDecimal);
        g.put("getBytes", ResultSet::getBytes);
        g.put("getDate", ResultSet::getDate);
        g.put("getTime", ResultSet::getTime);
        g.put("getTimestamp", ResultSet::getTimestamp);
        g.put("getDate(cal+5)", (rs, i) -> rs.getDate(i, plus5));
        g.put("getTime(cal+5)", (rs, i) -> rs.getTime(i, plus5));
        g.put("getTimestamp(cal+5)", (rs, i) -> rs.getTimestamp(i, plus5));
        g.put("getObject", ResultSet::getObject);
        g.put("getArray", ResultSet::getArray);
        g.put("getBlob", ResultSet::getBlob);
        g.put("getClob", ResultSet::getClob);
        g.put("getCharacterStream", ResultSet::getCharacterStream);
        g.put("getBinaryStream", ResultSet::getBinaryStream);
        g.put("getAsciiStream", ResultSet::getAsciiStream);
        for (Class<?> c : List.of(String.class, Boolean.class, Byte.class, Short.class, Integer.class, Long.class,
                Float.class, Double.class, BigDecimal.class, BigInteger.class, byte[].class, LocalDate.class,
                LocalTime.class, LocalDateTime.class, OffsetTime.class, OffsetDateTime.class, ZonedDateTime.class,
                Instant.class, java.sql.Date.class, java.sql.Time.class, java.sql.Timestamp.class,
                java.util.Date.class, UUID.class, Duration.class, Period.class, org.h2.api.Interval.class,
                Array.class, Blob.class, Clob.class, Object[].class, Object.class)) {
            g.put("getObject(" + c.getSimpleName() + ")", (rs, i) -> rs.getObject(i, c));
        }
        return g;
    }

    /** Every {@code ResultSetMetaData} answer for a column, by name. */
    static Map<String, Getter> metadata() {
        Map<String, Getter> m = new LinkedHashMap<>();
        m.put("getColumnType", (rs, i) -> rs.getMetaData().getColumnType(i));
        m.put("getColumnTypeName", (rs, i) -> rs.getMetaData().getColumnTypeName(i));
        m.put("getColumnClassName", (rs, i) -> rs.getMetaData().getColumnClassName(i));
        m.put("getPrecision", (rs, i) -> rs.getMetaData().getPrecision(i));
        m.put("getScale", (rs, i) -> rs.getMetaData().getScale(i));
        m.put("isNullable", (rs, i) -> rs.getMetaData().isNullable(i));
        m.put("isAutoIncrement", (rs, i) -> rs.getMetaData().isAutoIncrement(i));
        m.put("isSigned", (rs, i) -> rs.getMetaData().isSigned(i));
        m.put("getColumnDisplaySize", (rs, i) -> rs.getMetaData().getColumnDisplaySize(i));
        m.put("isCaseSensitive", (rs, i) -> rs.getMetaData().isCaseSensitive(i));
        m.put("isCurrency", (rs, i) -> rs.getMetaData().isCurrency(i));
        m.put("isSearchable", (rs, i) -> rs.getMetaData().isSearchable(i));
        m.put("getColumnLabel", (rs, i) -> rs.getMetaData().getColumnLabel(i));
        m.put("getTableName", (rs, i) -> rs.getMetaData().getTableName(i));
        return m;
    }

    /** The outcome of one call: its normalized value, then whether {@code wasNull()} said NULL. */
    static String of(ResultSet rs, int column, Getter getter, boolean withWasNull) {
        String value;
        try {
            value = describe(getter.get(rs, column));
        } catch (SQLException e) {
            return "EX:" + e.getSQLState();
        } catch (Exception e) {
            return "EX:" + e.getClass().getSimpleName();
        }
        if (!withWasNull) {
            return value;
        }
        try {
            return value + (rs.wasNull() ? " (wasNull)" : "");
        } catch (SQLException e) {
            return value + " (wasNull EX:" + e.getSQLState() + ")";
        }
    }

    static String describe(Object o) throws Exception {
        if (o == null) {
            return "null";
        }
        if (o instanceof byte[] b) {
            return "byte[]:" + HEX.formatHex(b);
        }
        if (o instanceof Blob b) {
            return "Blob:" + HEX.formatHex(b.getBytes(1, (int) b.length()));
        }
        if (o instanceof Clob c) {
            return "Clob:" + c.getSubString(1, (int) c.length());
        }
        if (o instanceof Array a) {
            return "Array<" + a.getBaseType() + " " + a.getBaseTypeName() + ">" + describe(a.getArray());
        }
        if (o instanceof Object[] array) {
            List<String> items = new ArrayList<>();
            for (Object item : array) {
                items.add(describe(item));
            }
            return array.getClass().getComponentType().getSimpleName() + "[]" + items;
        }
        if (o instanceof ResultSet rs) {
            return "ResultSet" + rows(rs);
        }
        if (o instanceof InputStream in) {
            return "InputStream:" + HEX.formatHex(in.readAllBytes());
        }
        if (o instanceof Reader r) {
            StringBuilder sb = new StringBuilder("Reader:");
            for (int ch = r.read(); ch >= 0; ch = r.read()) {
                sb.append((char) ch);
            }
            return sb.toString();
        }
        if (o instanceof java.util.Date d) {
            return o.getClass().getName() + ":" + d + "@" + d.getTime();
        }
        return o.getClass().getName() + ":" + o;
    }

    private static List<List<String>> rows(ResultSet rs) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                row.add(describe(rs.getObject(i)));
            }
            rows.add(row);
        }
        return rows;
    }
}
