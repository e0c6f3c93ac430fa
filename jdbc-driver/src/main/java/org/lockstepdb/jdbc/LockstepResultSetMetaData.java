package org.lockstepdb.jdbc;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ValueType;

/** {@code ResultSetMetaData} from the server's {@link ColumnMeta}s. */
public final class LockstepResultSetMetaData implements ResultSetMetaData {
    private final List<ColumnMeta> columns;

    public LockstepResultSetMetaData(List<ColumnMeta> columns) {
        this.columns = List.copyOf(columns);
    }

    private ColumnMeta col(int column) throws SQLException {
        if (column < 1 || column > columns.size()) {
            throw new SQLException("Invalid column index " + column + "; the result has " + columns.size()
                    + " columns", "07009");
        }
        return columns.get(column - 1);
    }

    @Override
    public int getColumnCount() {
        return columns.size();
    }

    @Override
    public boolean isAutoIncrement(int column) throws SQLException {
        col(column);
        return false;
    }

    @Override
    public boolean isCaseSensitive(int column) throws SQLException {
        col(column);
        return true; // as H2's driver, for every column
    }

    @Override
    public boolean isSearchable(int column) throws SQLException {
        col(column);
        return true;
    }

    @Override
    public boolean isCurrency(int column) throws SQLException {
        col(column);
        return false;
    }

    @Override
    public int isNullable(int column) throws SQLException {
        return col(column).nullable();
    }

    @Override
    public boolean isSigned(int column) throws SQLException {
        switch (col(column).valueType()) {
            case TINYINT: case SMALLINT: case INTEGER: case BIGINT: case REAL: case DOUBLE: case DECIMAL:
                return true;
            default:
                return false;
        }
    }

    @Override
    public int getColumnDisplaySize(int column) throws SQLException {
        ColumnMeta c = col(column);
        String name = c.typeName();
        switch (c.valueType()) {
            case BOOLEAN: return 5;
            case TINYINT: return 4;
            case SMALLINT: return 6;
            case INTEGER: return 11;
            case BIGINT: return 20;
            case REAL: return 15;
            case DOUBLE: return 24;
            case UUID: return 36;
            // as H2: date/time values are as long as their precision, binary strings in hex
            case DATE: case TIME: case TIME_WITH_TIME_ZONE: case TIMESTAMP: case TIMESTAMP_WITH_TIME_ZONE:
                return c.precision();
            case VARBINARY: case BLOB: return (int) Math.min(Integer.MAX_VALUE, 2L * c.precision());
            case DECIMAL:
                return (int) Math.min(Integer.MAX_VALUE, c.precision() + (name.equals("DECFLOAT") ? 12L : 2L));
            case INTERVAL: return IntervalConversions.displaySize(name, c.precision(), c.scale());
            case ARRAY: return Integer.MAX_VALUE;
            default:
                return name.equals("GEOMETRY") || name.startsWith("GEOMETRY(") || c.precision() <= 0
                        ? Integer.MAX_VALUE : c.precision();
        }
    }

    @Override
    public String getColumnLabel(int column) throws SQLException {
        return col(column).label();
    }

    @Override
    public String getColumnName(int column) throws SQLException {
        ColumnMeta c = col(column);
        return c.name().isEmpty() ? c.label() : c.name();
    }

    @Override
    public String getSchemaName(int column) throws SQLException {
        return col(column).schema();
    }

    @Override
    public int getPrecision(int column) throws SQLException {
        return col(column).precision();
    }

    @Override
    public int getScale(int column) throws SQLException {
        return col(column).scale();
    }

    @Override
    public String getTableName(int column) throws SQLException {
        return col(column).table();
    }

    @Override
    public String getCatalogName(int column) throws SQLException {
        col(column);
        return "";
    }

    @Override
    public int getColumnType(int column) throws SQLException {
        ColumnMeta c = col(column);
        return c.jdbcType() != 0 || c.valueType() == ValueType.NULL ? c.jdbcType() : c.valueType().jdbcType();
    }

    @Override
    public String getColumnTypeName(int column) throws SQLException {
        ColumnMeta c = col(column);
        return c.typeName().isEmpty() ? c.valueType().name().replace('_', ' ') : c.typeName();
    }

    @Override
    public boolean isReadOnly(int column) throws SQLException {
        col(column);
        return true;
    }

    @Override
    public boolean isWritable(int column) throws SQLException {
        col(column);
        return false;
    }

    @Override
    public boolean isDefinitelyWritable(int column) throws SQLException {
        col(column);
        return false;
    }

    @Override
    public String getColumnClassName(int column) throws SQLException {
        ColumnMeta c = col(column);
        // types that travel as text of H2's: the class H2's driver names (GEOMETRY: without JTS, a String)
        String name = c.typeName();
        if (name.startsWith("ROW(") || name.equals("ROW")) {
            return java.sql.ResultSet.class.getName();
        }
        if (name.equals("JAVA_OBJECT")) {
            return Object.class.getName();
        }
        if (name.startsWith("ENUM") || name.equals("GEOMETRY") || name.startsWith("GEOMETRY(")) {
            return String.class.getName();
        }
        return ValueConversions.jdbcClassName(c.valueType());
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return JdbcSupport.unwrap(this, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return JdbcSupport.isWrapperFor(this, iface);
    }
}
