package org.lockstepdb.storage;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ValueType;

/**
 * Decides how an H2 result column travels on the wire. ARRAY and INTERVAL have value types of their own (wire
 * format 5), DECFLOAT travels as DECIMAL (its NaN and infinities as DOUBLE). Types the protocol has no value type
 * for (ENUM, ROW, GEOMETRY, JAVA_OBJECT...) travel as VARCHAR of H2's own string form; the column keeps H2's type
 * name so a client can still tell what it was.
 *
 * <p>Checksums read with {@link #checksumType}, the mapping from before wire format 5, so that replicas of two
 * versions compute the same checksum of the same data during a rolling upgrade.
 */
final class ColumnTypes {
    private ColumnTypes() {
    }

    static ColumnMeta describe(ResultSetMetaData md, int column) throws SQLException {
        String typeName = md.getColumnTypeName(column);
        int jdbcType = md.getColumnType(column);
        return new ColumnMeta(md.getColumnLabel(column), md.getColumnName(column), md.getSchemaName(column),
                md.getTableName(column), valueType(jdbcType, typeName), jdbcType, typeName,
                md.getPrecision(column), md.getScale(column), md.isNullable(column));
    }

    static ValueType valueType(int jdbcType, String typeName) {
        String name = typeName == null ? "" : typeName.toUpperCase(Locale.ROOT);
        if (jdbcType == Types.ARRAY) {
            return ValueType.ARRAY;
        }
        if (name.startsWith("INTERVAL")) {
            return ValueType.INTERVAL;
        }
        if (name.equals("DECFLOAT")) {
            return ValueType.DECIMAL;
        }
        return checksumType(jdbcType, typeName);
    }

    /** How checksums read a column: as every version before wire format 5 did (ARRAY, INTERVAL as H2's text). */
    static ValueType checksumType(int jdbcType, String typeName) {
        String name = typeName == null ? "" : typeName.toUpperCase(Locale.ROOT);
        // H2 type names decide first: several H2 types share a JDBC code with another (UUID is BINARY,
        // JSON and ENUM are OTHER, DECFLOAT is NUMERIC but may hold NaN/Infinity that BigDecimal cannot).
        switch (name) {
            case "UUID": return ValueType.UUID;
            case "JSON": return ValueType.JSON;
            case "DECFLOAT": return ValueType.VARCHAR;
            default: break;
        }
        switch (jdbcType) {
            case Types.BOOLEAN: case Types.BIT: return ValueType.BOOLEAN;
            case Types.TINYINT: return ValueType.TINYINT;
            case Types.SMALLINT: return ValueType.SMALLINT;
            case Types.INTEGER: return ValueType.INTEGER;
            case Types.BIGINT: return ValueType.BIGINT;
            case Types.REAL: return ValueType.REAL;
            case Types.DOUBLE: case Types.FLOAT: return ValueType.DOUBLE;
            case Types.DECIMAL: case Types.NUMERIC: return ValueType.DECIMAL;
            case Types.CHAR: case Types.NCHAR: return ValueType.CHAR;
            case Types.VARCHAR: case Types.NVARCHAR: case Types.LONGVARCHAR: return ValueType.VARCHAR;
            case Types.CLOB: case Types.NCLOB: return ValueType.CLOB;
            case Types.BINARY: case Types.VARBINARY: case Types.LONGVARBINARY: return ValueType.VARBINARY;
            case Types.BLOB: return ValueType.BLOB;
            case Types.DATE: return ValueType.DATE;
            case Types.TIME: return ValueType.TIME;
            case Types.TIME_WITH_TIMEZONE: return ValueType.TIME_WITH_TIME_ZONE;
            case Types.TIMESTAMP: return ValueType.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE: return ValueType.TIMESTAMP_WITH_TIME_ZONE;
            case Types.NULL: return ValueType.NULL;
            default: return ValueType.VARCHAR;
        }
    }
}
