package org.lockstepdb.protocol;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * One typed SQL value: a statement parameter or a result cell.
 *
 * <p>The Java class of {@link #value()} is fixed per type: BOOLEAN Boolean, TINYINT Byte, SMALLINT Short,
 * INTEGER Integer, BIGINT Long, REAL Float, DOUBLE Double, DECIMAL BigDecimal, CHAR/VARCHAR/CLOB String,
 * VARBINARY/BLOB/JSON byte[], DATE LocalDate, TIME LocalTime, TIME_WITH_TIME_ZONE OffsetTime, TIMESTAMP
 * LocalDateTime, TIMESTAMP_WITH_TIME_ZONE OffsetDateTime, UUID java.util.UUID, ARRAY {@link ArrayValue}, INTERVAL
 * {@link IntervalValue}, NULL null.
 */
public final class Value {
    public static final Value NULL = new Value(ValueType.NULL, null);

    private final ValueType type;
    private final Object value;

    private Value(ValueType type, Object value) {
        this.type = type;
        this.value = value;
    }

    /** A value of the given type; {@code null} gives {@link #NULL}. Rejects a Java class that does not fit the type. */
    public static Value of(ValueType type, Object value) {
        if (value == null || type == ValueType.NULL) {
            return NULL;
        }
        Class<?> expected = javaClass(type);
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException(type + " needs a " + expected.getSimpleName()
                    + ", not a " + value.getClass().getName());
        }
        return new Value(type, value);
    }

    static Class<?> javaClass(ValueType type) {
        switch (type) {
            case BOOLEAN: return Boolean.class;
            case TINYINT: return Byte.class;
            case SMALLINT: return Short.class;
            case INTEGER: return Integer.class;
            case BIGINT: return Long.class;
            case REAL: return Float.class;
            case DOUBLE: return Double.class;
            case DECIMAL: return BigDecimal.class;
            case CHAR: case VARCHAR: case CLOB: return String.class;
            case VARBINARY: case BLOB: case JSON: return byte[].class;
            case DATE: return LocalDate.class;
            case TIME: return LocalTime.class;
            case TIME_WITH_TIME_ZONE: return OffsetTime.class;
            case TIMESTAMP: return LocalDateTime.class;
            case TIMESTAMP_WITH_TIME_ZONE: return OffsetDateTime.class;
            case UUID: return UUID.class;
            case ARRAY: return ArrayValue.class;
            case INTERVAL: return IntervalValue.class;
            default: return Void.class;
        }
    }

    public ValueType type() {
        return type;
    }

    public Object value() {
        return value;
    }

    public boolean isNull() {
        return value == null;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Value)) {
            return false;
        }
        Value other = (Value) o;
        return type == other.type && Objects.deepEquals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + (value instanceof byte[] ? Arrays.hashCode((byte[]) value) : Objects.hashCode(value));
    }

    @Override
    public String toString() {
        return type + ":" + (value instanceof byte[] ? Arrays.toString((byte[]) value) : value);
    }
}
