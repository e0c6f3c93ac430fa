package org.lockstepdb.jdbc;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.lockstepdb.protocol.ArrayValue;
import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

/**
 * A {@code java.sql.Array}: the value of an ARRAY cell, or one made by {@code Connection.createArrayOf} to bind.
 * As H2's driver: {@link #getArray()} is an {@code Object[]} whose elements are what {@code getObject} returns for
 * the element type (nested arrays are {@code Array}s); {@link #getResultSet()} has the columns INDEX (from 1) and
 * VALUE. Indexes of {@code getArray(index, count)} start at 1. After {@link #free()} every method fails (HY000).
 */
public final class LockstepArray implements Array {
    private ArrayValue value;

    LockstepArray(ArrayValue value) {
        this.value = value;
    }

    /** The wire value, to bind as a parameter. */
    ArrayValue value() throws SQLException {
        if (value == null) {
            throw new SQLException("The array was freed", "HY000");
        }
        return value;
    }

    @Override
    public String getBaseTypeName() throws SQLException {
        return value().baseTypeName();
    }

    @Override
    public int getBaseType() throws SQLException {
        return value().baseJdbcType();
    }

    @Override
    public Object getArray() throws SQLException {
        return elements(1, Integer.MAX_VALUE);
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) throws SQLException {
        checkMap(map);
        return getArray();
    }

    @Override
    public Object getArray(long index, int count) throws SQLException {
        return elements(index, count);
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
        checkMap(map);
        return elements(index, count);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        return resultSet(1, Integer.MAX_VALUE);
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
        checkMap(map);
        return getResultSet();
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLException {
        return resultSet(index, count);
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
        checkMap(map);
        return resultSet(index, count);
    }

    @Override
    public void free() {
        value = null;
    }

    @Override
    public String toString() {
        return value == null ? "freed array" : ValueConversions.toString(Value.of(ValueType.ARRAY, value));
    }

    private List<Value> range(long index, int count) throws SQLException {
        List<Value> all = value().elements();
        if (index < 1 || index > all.size() + 1L || count < 0) {
            throw new SQLException("Invalid array range: index " + index + ", count " + count + " of "
                    + all.size() + " elements", "22003");
        }
        int from = (int) index - 1;
        return all.subList(from, (int) Math.min(all.size(), from + (long) count));
    }

    private Object[] elements(long index, int count) throws SQLException {
        List<Value> range = range(index, count);
        Object[] out = new Object[range.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ValueConversions.toJdbcObject(range.get(i));
        }
        return out;
    }

    private ResultSet resultSet(long index, int count) throws SQLException {
        List<Value> range = range(index, count);
        ArrayValue a = value();
        ValueType elementType = range.stream().map(Value::type).filter(t -> t != ValueType.NULL).findFirst()
                .orElse(ValueType.NULL);
        List<ColumnMeta> columns = List.of(
                new ColumnMeta("INDEX", "INDEX", "", "", ValueType.BIGINT, Types.BIGINT, "BIGINT", 64, 0,
                        ResultSetMetaData.columnNoNulls),
                new ColumnMeta("VALUE", "VALUE", "", "", elementType, a.baseJdbcType(), a.baseTypeName(), 0, 0,
                        ResultSetMetaData.columnNullableUnknown));
        List<List<Value>> rows = new ArrayList<>(range.size());
        for (int i = 0; i < range.size(); i++) {
            rows.add(List.of(Value.of(ValueType.BIGINT, index + i), range.get(i)));
        }
        return new LockstepResultSet(new ResultData(columns, rows));
    }

    private static void checkMap(Map<String, Class<?>> map) throws SQLException {
        if (map != null && !map.isEmpty()) {
            throw JdbcSupport.unsupported("type maps");
        }
    }
}
