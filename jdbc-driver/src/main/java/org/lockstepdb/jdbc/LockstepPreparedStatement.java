package org.lockstepdb.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

import org.lockstepdb.protocol.sql.SqlLexer;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

/**
 * A prepared statement. The SQL text goes to the server unchanged (H2 parses it there); parameters travel as
 * typed {@link Value}s. {@link #addBatch()} collects parameter sets: {@link #executeBatch()} sends one
 * {@link SqlStatement} with all of them, as one atomic log entry.
 */
public class LockstepPreparedStatement extends AbstractPreparedStatement {
    private final String sql;
    private final List<String> keyColumns;
    private final Value[] parameters;
    private final List<List<Value>> batchSets = new ArrayList<>();

    LockstepPreparedStatement(LockstepConnection connection, String sql, int resultSetType, List<String> keyColumns)
            throws SQLException {
        super(connection, resultSetType);
        if (sql == null) {
            throw new SQLException("SQL must not be null", "HY009");
        }
        this.sql = sql;
        this.keyColumns = keyColumns;
        this.parameters = new Value[countParameters(sql)];
    }

    /** The SQL text. */
    public String sql() {
        return sql;
    }

    /**
     * The number of parameters H2 gives the statement ({@link SqlLexer#parameterCount}: {@code ?}, {@code ?n},
     * {@code $n}, read with H2's tokenizer, so none inside strings, quoted names or comments). H2 checks the count
     * again on the server; this gives earlier, clearer errors.
     */
    public static int countParameters(String sql) {
        return SqlLexer.parameterCount(SqlLexer.lex(sql));
    }

    /** The current parameters, all of which must be set (SQLState 07001 names the first missing one). */
    List<Value> boundParameters() throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
                throw new SQLException("Parameter " + (i + 1) + " of " + parameters.length + " is not set", "07001",
                        90012);
            }
        }
        return List.of(parameters);
    }

    private void set(int index, Value v) throws SQLException {
        checkOpen();
        if (index < 1 || index > parameters.length) {
            throw new SQLException("Invalid parameter index " + index + "; the statement has " + parameters.length
                    + " parameters", "07009", 90008);
        }
        parameters[index - 1] = v;
    }

    // ---- execution -----------------------------------------------------------------------------------------

    @Override
    public ResultSet executeQuery() throws SQLException {
        checkOpen();
        requireQuery(sql);
        executeOne(sql, boundParameters(), null);
        return getResultSet();
    }

    @Override
    public int executeUpdate() throws SQLException {
        return clamp(executeLargeUpdate());
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        checkOpen();
        requireWrite(sql);
        executeOne(sql, boundParameters(), keyColumns);
        return getLargeUpdateCount();
    }

    @Override
    public boolean execute() throws SQLException {
        checkOpen();
        return executeOne(sql, boundParameters(), keyColumns);
    }

    @Override
    public void addBatch() throws SQLException {
        checkOpen();
        if (isQuery(sql)) {
            throw isAQuery();
        }
        batchSets.add(boundParameters());
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batchSets.clear();
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        clearResults();
        if (batchSets.isEmpty()) {
            return new long[0];
        }
        SqlStatement st = new SqlStatement(sql, batchSets, keyColumns);
        batchSets.clear();
        return runBatch(List.of(st), true);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long[] counts = executeLargeBatch();
        int[] r = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            r[i] = clamp(counts[i]);
        }
        return r;
    }

    private static SQLException notOnPrepared() {
        return new SQLException("This method is not allowed for a prepared statement; use a regular statement instead",
                "90130", 90130);
    }

    @Override
    public ResultSet executeQuery(String s) throws SQLException {
        throw notOnPrepared();
    }

    @Override
    public int executeUpdate(String s) throws SQLException {
        throw notOnPrepared();
    }

    @Override
    public long executeLargeUpdate(String s) throws SQLException {
        throw notOnPrepared();
    }

    @Override
    public boolean execute(String s) throws SQLException {
        throw notOnPrepared();
    }

    @Override
    public void addBatch(String s) throws SQLException {
        throw notOnPrepared();
    }

    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
        Arrays.fill(parameters, null);
    }

    /** Not known before execution (H2 describes the result when it runs): null, as JDBC allows. */
    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        checkOpen();
        return new SimpleParameterMetaData(parameters);
    }

    // ---- setters -------------------------------------------------------------------------------------------

    @Override
    public void setNull(int i, int sqlType) throws SQLException {
        set(i, ParameterValues.nullOf(sqlType));
    }

    @Override
    public void setNull(int i, int sqlType, String typeName) throws SQLException {
        set(i, ParameterValues.nullOf(sqlType));
    }

    @Override
    public void setBoolean(int i, boolean x) throws SQLException {
        set(i, Value.of(ValueType.BOOLEAN, x));
    }

    @Override
    public void setByte(int i, byte x) throws SQLException {
        set(i, Value.of(ValueType.TINYINT, x));
    }

    @Override
    public void setShort(int i, short x) throws SQLException {
        set(i, Value.of(ValueType.SMALLINT, x));
    }

    @Override
    public void setInt(int i, int x) throws SQLException {
        set(i, Value.of(ValueType.INTEGER, x));
    }

    @Override
    public void setLong(int i, long x) throws SQLException {
        set(i, Value.of(ValueType.BIGINT, x));
    }

    @Override
    public void setFloat(int i, float x) throws SQLException {
        set(i, Value.of(ValueType.REAL, x));
    }

    @Override
    public void setDouble(int i, double x) throws SQLException {
        set(i, Value.of(ValueType.DOUBLE, x));
    }

    @Override
    public void setBigDecimal(int i, BigDecimal x) throws SQLException {
        set(i, ParameterValues.of(x));
    }

    @Override
    public void setString(int i, String x) throws SQLException {
        set(i, ParameterValues.of(x));
    }

    @Override
    public void setNString(int i, String x) throws SQLException {
        set(i, ParameterValues.of(x));
    }

    @Override
    public void setBytes(int i, byte[] x) throws SQLException {
        set(i, ParameterValues.of(x));
    }

    @Override
    public void setDate(int i, Date x) throws SQLException {
        set(i, ParameterValues.of(x));
    }

    @Override
    public void setTime(int i, Time x) throws SQLException {
        set(i, ParameterValues.of(x));
    }

    @Override
    public void setTimestamp(int i, Timestamp x) throws SQLException {
        set(i, ParameterValues.of(x));
    }

    private static LocalDateTime inZone(java.util.Date x, Calendar cal) {
        ZoneId zone = cal.getTimeZone().toZoneId();
        LocalDateTime t = LocalDateTime.ofInstant(x.toInstant(), zone);
        return x instanceof Timestamp ? t.withNano(((Timestamp) x).getNanos()) : t;
    }

    @Override
    public void setDate(int i, Date x, Calendar cal) throws SQLException {
        if (x == null || cal == null) {
            setDate(i, x);
            return;
        }
        set(i, Value.of(ValueType.DATE, LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(x.getTime()),
                cal.getTimeZone().toZoneId()).toLocalDate()));
    }

    @Override
    public void setTime(int i, Time x, Calendar cal) throws SQLException {
        if (x == null || cal == null) {
            setTime(i, x);
            return;
        }
        set(i, Value.of(ValueType.TIME, LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(x.getTime()),
                cal.getTimeZone().toZoneId()).toLocalTime()));
    }

    @Override
    public void setTimestamp(int i, Timestamp x, Calendar cal) throws SQLException {
        if (x == null || cal == null) {
            setTimestamp(i, x);
            return;
        }
        set(i, Value.of(ValueType.TIMESTAMP, inZone(x, cal)));
    }

    @Override
    public void setObject(int i, Object x) throws SQLException {
        set(i, ParameterValues.of(x));
    }

    @Override
    public void setObject(int i, Object x, int targetSqlType) throws SQLException {
        set(i, ParameterValues.of(x, targetSqlType));
    }

    @Override
    public void setObject(int i, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        Value v = ParameterValues.of(x, targetSqlType);
        if ((targetSqlType == Types.DECIMAL || targetSqlType == Types.NUMERIC) && !v.isNull()) {
            v = Value.of(ValueType.DECIMAL, ((BigDecimal) v.value()).setScale(scaleOrLength,
                    java.math.RoundingMode.HALF_UP));
        }
        set(i, v);
    }

    @Override
    public void setObject(int i, Object x, SQLType targetSqlType) throws SQLException {
        setObject(i, x, vendorType(targetSqlType));
    }

    @Override
    public void setObject(int i, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        setObject(i, x, vendorType(targetSqlType), scaleOrLength);
    }

    private static int vendorType(SQLType t) throws SQLException {
        if (t == null || t.getVendorTypeNumber() == null) {
            throw JdbcSupport.unsupported("SQLType " + t);
        }
        return t.getVendorTypeNumber();
    }

    @Override
    public void setBlob(int i, Blob x) throws SQLException {
        set(i, x == null ? Value.NULL : Value.of(ValueType.BLOB, ParameterValues.readBlob(x)));
    }

    @Override
    public void setBlob(int i, InputStream x) throws SQLException {
        set(i, x == null ? Value.NULL : Value.of(ValueType.BLOB, ParameterValues.readBytes(x, -1)));
    }

    @Override
    public void setBlob(int i, InputStream x, long length) throws SQLException {
        set(i, x == null ? Value.NULL : Value.of(ValueType.BLOB, ParameterValues.readBytes(x, length)));
    }

    @Override
    public void setClob(int i, Clob x) throws SQLException {
        set(i, x == null ? Value.NULL : Value.of(ValueType.CLOB, ParameterValues.readClob(x)));
    }

    @Override
    public void setClob(int i, Reader x) throws SQLException {
        set(i, x == null ? Value.NULL : Value.of(ValueType.CLOB, ParameterValues.readChars(x, -1)));
    }

    @Override
    public void setClob(int i, Reader x, long length) throws SQLException {
        set(i, x == null ? Value.NULL : Value.of(ValueType.CLOB, ParameterValues.readChars(x, length)));
    }

    @Override
    public void setNClob(int i, NClob x) throws SQLException {
        setClob(i, x);
    }

    @Override
    public void setNClob(int i, Reader x) throws SQLException {
        setClob(i, x);
    }

    @Override
    public void setNClob(int i, Reader x, long length) throws SQLException {
        setClob(i, x, length);
    }

    @Override
    public void setBinaryStream(int i, InputStream x) throws SQLException {
        setBinaryStream(i, x, -1L); // -1: read to the end
    }

    @Override
    public void setBinaryStream(int i, InputStream x, int length) throws SQLException {
        setBinaryStream(i, x, (long) length);
    }

    @Override
    public void setBinaryStream(int i, InputStream x, long length) throws SQLException {
        set(i, x == null ? Value.NULL : Value.of(ValueType.VARBINARY, ParameterValues.readBytes(x, length)));
    }

    @Override
    public void setAsciiStream(int i, InputStream x) throws SQLException {
        setAsciiStream(i, x, -1L); // -1: read to the end
    }

    @Override
    public void setAsciiStream(int i, InputStream x, int length) throws SQLException {
        setAsciiStream(i, x, (long) length);
    }

    @Override
    public void setAsciiStream(int i, InputStream x, long length) throws SQLException {
        set(i, x == null ? Value.NULL : Value.of(ValueType.VARCHAR, ParameterValues.readAscii(x, length)));
    }

    @Override
    public void setCharacterStream(int i, Reader x) throws SQLException {
        setCharacterStream(i, x, -1L); // -1: read to the end
    }

    @Override
    public void setCharacterStream(int i, Reader x, int length) throws SQLException {
        setCharacterStream(i, x, (long) length);
    }

    @Override
    public void setCharacterStream(int i, Reader x, long length) throws SQLException {
        set(i, x == null ? Value.NULL : Value.of(ValueType.VARCHAR, ParameterValues.readChars(x, length)));
    }

    @Override
    public void setNCharacterStream(int i, Reader x) throws SQLException {
        setCharacterStream(i, x);
    }

    @Override
    public void setNCharacterStream(int i, Reader x, long length) throws SQLException {
        setCharacterStream(i, x, length);
    }

    @Override
    public String toString() {
        return "LockstepPreparedStatement[" + sql + "]";
    }

    /** Parameter metadata known without asking the server: the count, and the types of set parameters. */
    private static final class SimpleParameterMetaData implements ParameterMetaData {
        private final Value[] values;

        SimpleParameterMetaData(Value[] values) {
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
}
