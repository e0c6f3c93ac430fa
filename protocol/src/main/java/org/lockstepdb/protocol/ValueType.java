package org.lockstepdb.protocol;

import java.sql.Types;

/**
 * The SQL value types that cross the wire and the log. Each has a stable one-byte tag: tags are part of the
 * log format, so never renumber one; add new types with new tags.
 *
 * <p>Java representation of a non-null {@link Value} of each type is fixed (see {@link Value#of}).
 */
public enum ValueType {
    NULL(0, Types.NULL),
    BOOLEAN(1, Types.BOOLEAN),
    TINYINT(2, Types.TINYINT),
    SMALLINT(3, Types.SMALLINT),
    INTEGER(4, Types.INTEGER),
    BIGINT(5, Types.BIGINT),
    REAL(6, Types.REAL),
    DOUBLE(7, Types.DOUBLE),
    DECIMAL(8, Types.DECIMAL),
    CHAR(9, Types.CHAR),
    VARCHAR(10, Types.VARCHAR),
    CLOB(11, Types.CLOB),
    VARBINARY(12, Types.VARBINARY),
    BLOB(13, Types.BLOB),
    DATE(14, Types.DATE),
    TIME(15, Types.TIME),
    TIME_WITH_TIME_ZONE(16, Types.TIME_WITH_TIMEZONE),
    TIMESTAMP(17, Types.TIMESTAMP),
    TIMESTAMP_WITH_TIME_ZONE(18, Types.TIMESTAMP_WITH_TIMEZONE),
    UUID(19, Types.BINARY),
    JSON(20, Types.OTHER),
    /** Wire format 6 and later: {@link ArrayValue}. */
    ARRAY(21, Types.ARRAY),
    /** Wire format 6 and later: {@link IntervalValue}. */
    INTERVAL(22, Types.OTHER);

    private static final ValueType[] BY_TAG = new ValueType[32];

    static {
        for (ValueType t : values()) {
            BY_TAG[t.tag] = t;
        }
    }

    private final int tag;
    private final int jdbcType;

    ValueType(int tag, int jdbcType) {
        this.tag = tag;
        this.jdbcType = jdbcType;
    }

    public int tag() {
        return tag;
    }

    /** The {@link java.sql.Types} code a JDBC user sees for a column of this type. */
    public int jdbcType() {
        return jdbcType;
    }

    /** Whether values of this type need wire format 6 ({@link MessageCodec#FORMAT_VERSION}). */
    public boolean sinceVersion6() {
        return this == ARRAY || this == INTERVAL;
    }

    public static ValueType ofTag(int tag) {
        ValueType t = tag >= 0 && tag < BY_TAG.length ? BY_TAG[tag] : null;
        if (t == null) {
            throw new ProtocolException("unknown value type tag " + tag);
        }
        return t;
    }
}
