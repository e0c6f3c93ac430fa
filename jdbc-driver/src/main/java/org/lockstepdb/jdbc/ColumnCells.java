package org.lockstepdb.jdbc;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Clob;
import java.sql.SQLException;
import java.util.List;

import org.lockstepdb.protocol.ArrayValue;
import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

/**
 * The result-cell conversions that need the cell's column as well as its value, as H2's driver answers them:
 * DECFLOAT (which travels as DECIMAL, its NaN and infinities as DOUBLE), ENUM (which travels as its label: numeric
 * getters give its ordinal, from 1; bytes, dates and intervals fail with 22018), {@code getArray} on any value,
 * and {@code getObject(i, Object[].class)}. Everything else is {@link ValueConversions}.
 */
final class ColumnCells {
    private ColumnCells() {
    }

    private static boolean isDecfloat(ColumnMeta c) {
        return c.typeName().equals("DECFLOAT");
    }

    /** {@code getString}: H2 writes a DECFLOAT in scientific notation ({@code 1.25E+3}), a NUMERIC plainly. */
    static String string(ColumnMeta c, Value v) {
        if (isDecfloat(c) && v.type() == ValueType.DECIMAL) {
            return ((BigDecimal) v.value()).toString();
        }
        return ValueConversions.toString(v);
    }

    /** {@code getObject}: a DECFLOAT NaN or infinity has no BigDecimal, 22018 as H2. */
    static Object object(ColumnMeta c, Value v) throws SQLException {
        if (isDecfloat(c) && v.type() == ValueType.DOUBLE) {
            throw ValueConversions.cannot(v, "NUMERIC");
        }
        return ValueConversions.toJdbcObject(v);
    }

    /** As H2's driver: an ARRAY cell's array; any other value as an array of that one element; null for NULL. */
    static Array array(ColumnMeta c, Value v) throws SQLException {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.type() == ValueType.ARRAY) {
            return new LockstepArray((ArrayValue) v.value());
        }
        object(c, v); // what cannot be an object cannot be an element either
        return new LockstepArray(new ArrayValue(c.jdbcType(), c.typeName(), List.of(v)));
    }

    /** The labels of an {@code ENUM('a', 'b')} column in order, or null for another column. */
    static List<String> enumLabels(ColumnMeta c) {
        String t = c.typeName();
        if (!t.startsWith("ENUM(")) {
            return null;
        }
        List<String> labels = new java.util.ArrayList<>();
        StringBuilder label = null;
        for (int i = 5; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (label == null) {
                if (ch == '\'') {
                    label = new StringBuilder();
                }
            } else if (ch == '\'' && i + 1 < t.length() && t.charAt(i + 1) == '\'') {
                label.append('\''); // a quote inside a label is doubled
                i++;
            } else if (ch == '\'') {
                labels.add(label.toString());
                label = null;
            } else {
                label.append(ch);
            }
        }
        return labels;
    }

    /** The value numeric getters convert: an ENUM's ordinal (from 1), as H2; any other value itself. */
    static Value numeric(ColumnMeta c, Value v) throws SQLException {
        List<String> labels = v == null || v.isNull() || v.type() != ValueType.VARCHAR ? null : enumLabels(c);
        if (labels == null) {
            return v;
        }
        int ordinal = labels.indexOf((String) v.value()) + 1;
        if (ordinal == 0) {
            throw ValueConversions.cannot(v, "INTEGER");
        }
        return Value.of(ValueType.INTEGER, ordinal);
    }

    /** The value byte and date/time getters convert: an ENUM has neither (22018, as H2). */
    static Value notEnum(ColumnMeta c, Value v, String target) throws SQLException {
        if (v != null && !v.isNull() && enumLabels(c) != null) {
            throw ValueConversions.cannot(v, target);
        }
        return v;
    }

    /** {@code getObject(i, type)}. */
    static <T> T convert(ColumnMeta c, Value v, Class<T> type) throws SQLException {
        if (v != null && !v.isNull() && enumLabels(c) != null && type != String.class && type != Clob.class
                && type != java.sql.NClob.class && type != Object.class && type != Boolean.class
                && type != Array.class && type != Object[].class) {
            boolean number = Number.class.isAssignableFrom(type);
            return ValueConversions.convert(number ? numeric(c, v) : notEnum(c, v, type.getSimpleName()), type);
        }
        if (type == Array.class) {
            return type.cast(array(c, v));
        }
        if (type == Object[].class) {
            if (v == null || v.isNull()) {
                return null;
            }
            if (v.type() != ValueType.ARRAY) {
                throw new SQLException("Cannot convert a " + v.type() + " to Object[]", "HY000"); // as H2
            }
            // as H2's driver, which converts each element to JAVA_OBJECT: only an array without values converts
            for (Value e : ((ArrayValue) v.value()).elements()) {
                ValueConversions.convert(e, Object.class); // throws for every value, as H2
            }
            return type.cast(array(c, v).getArray());
        }
        if (isDecfloat(c) && v != null && !v.isNull() && (type == String.class || type == Clob.class)) {
            String text = string(c, v);
            return type.cast(type == String.class ? text : new MemoryClob(text));
        }
        return ValueConversions.convert(v, type);
    }
}
