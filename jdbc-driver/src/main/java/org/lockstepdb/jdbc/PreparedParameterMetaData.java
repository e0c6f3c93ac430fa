package org.lockstepdb.jdbc;

import java.sql.ParameterMetaData;
import java.sql.SQLException;
import java.sql.Types;

import org.lockstepdb.protocol.Value;

/** Parameter metadata known without asking the server: the count, and the types of set parameters. */
final class PreparedParameterMetaData implements ParameterMetaData {
    private final Value[] values;

    PreparedParameterMetaData(Value[] values) {
        this.values = values.clone();
    }

    private Value value(int p) throws SQLException {
        if (p < 1 || p > values.length) {
            throw new SQLException("Invalid parameter index " + p, "07009", 90008);
        }
        return values[p - 1];
    }

    @Override
    public int getParameterCount() {
        return values.length;
    }

    @Override
    public int isNullable(int p) throws SQLException {
        value(p);
        return parameterNullableUnknown;
    }

    @Override
    public boolean isSigned(int p) throws SQLException {
        value(p);
        return true;
    }

    @Override
    public int getPrecision(int p) throws SQLException {
        value(p);
        return 0;
    }

    @Override
    public int getScale(int p) throws SQLException {
        value(p);
        return 0;
    }

    @Override
    public int getParameterType(int p) throws SQLException {
        Value v = value(p);
        return v == null || v.isNull() ? Types.OTHER : v.type().jdbcType();
    }

    @Override
    public String getParameterTypeName(int p) throws SQLException {
        Value v = value(p);
        return v == null || v.isNull() ? "UNKNOWN" : v.type().name().replace('_', ' ');
    }

    @Override
    public String getParameterClassName(int p) throws SQLException {
        Value v = value(p);
        return v == null || v.isNull() ? Object.class.getName() : ValueConversions.jdbcClassName(v.type());
    }

    @Override
    public int getParameterMode(int p) throws SQLException {
        value(p);
        return parameterModeIn;
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
