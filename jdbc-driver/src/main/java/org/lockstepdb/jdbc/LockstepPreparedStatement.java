package org.lockstepdb.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;

import org.lockstepdb.protocol.GeneratedKeyRequest;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;
import org.lockstepdb.protocol.sql.SqlLexer;

/**
 * A prepared statement. The SQL text goes to the server unchanged (H2 parses it there); parameters travel as
 * typed {@link Value}s. {@link #addBatch()} collects parameter sets: {@link #executeBatch()} sends one
 * {@link SqlStatement} with all of them, as one atomic log entry.
 */
public class LockstepPreparedStatement extends LockstepStatement implements PreparedStatement {
    private final String sql;
    /** The generated keys every execution asks back (from {@code prepareStatement(sql, ...)}). */
    private final GeneratedKeyRequest generatedKeys;
    private final Value[] parameters;
    private final List<List<Value>> batchSets = new ArrayList<>();

    LockstepPreparedStatement(LockstepConnection connection, String sql, int resultSetType,
                              GeneratedKeyRequest generatedKeys) throws SQLException {
        super(connection, resultSetType);
        StatementCore.requireSql(sql);
        this.sql = sql;
        this.generatedKeys = generatedKeys;
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
        core.checkOpen();
        if (index < 1 || index > parameters.length) {
            throw new SQLException("Invalid parameter index " + index + "; the statement has " + parameters.length
                    + " parameters", "07009", 90008);
        }
        parameters[index - 1] = v;
    }

    // ---- execution -----------------------------------------------------------------------------------------

    @Override
    public ResultSet executeQuery() throws SQLException {
        core.checkOpen();
        StatementCore.requireQuery(sql);
        core.execute(sql, boundParameters(), GeneratedKeyRequest.NONE);
        return getResultSet();
    }

    @Override
    public int executeUpdate() throws SQLException {
        return clamp(executeLargeUpdate());
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        core.checkOpen();
        StatementCore.requireWrite(sql);
        core.execute(sql, boundParameters(), generatedKeys);
        return getLargeUpdateCount();
    }

    @Override
    public boolean execute() throws SQLException {
        core.checkOpen();
        return core.execute(sql, boundParameters(), generatedKeys);
    }

    @Override
    public void addBatch() throws SQLException {
        core.checkOpen();
        StatementCore.requireWrite(sql);
        batchSets.add(boundParameters());
    }

    @Override
    public void clearBatch() throws SQLException {
        core.checkOpen();
        batchSets.clear();
    }

    /** All parameter sets as one {@link SqlStatement}, one atomic log entry; one update count per set. */
    @Override
    public long[] executeLargeBatch() throws SQLException {
        core.checkOpen();
        core.clearResults();
        if (batchSets.isEmpty()) {
            return new long[0];
        }
        SqlStatement st = new SqlStatement(sql, batchSets, generatedKeys);
        batchSets.clear();
        return core.executeBatch(List.of(st), true);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return clamp(executeLargeBatch());
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
        core.checkOpen();
        Arrays.fill(parameters, null);
    }

    /** Not known before execution (H2 describes the result when it runs): null, as JDBC allows. */
    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        core.checkOpen();
        return null;
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        core.checkOpen();
        return new PreparedParameterMetaData(parameters);
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

    @Override
    public void setDate(int i, Date x, Calendar cal) throws SQLException {
        set(i, ParameterValues.of(x, cal));
    }

    @Override
    public void setTime(int i, Time x, Calendar cal) throws SQLException {
        set(i, ParameterValues.of(x, cal));
    }

    @Override
    public void setTimestamp(int i, Timestamp x, Calendar cal) throws SQLException {
        set(i, ParameterValues.of(x, cal));
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
        set(i, ParameterValues.of(x, targetSqlType, scaleOrLength));
    }

    @Override
    public void setObject(int i, Object x, SQLType targetSqlType) throws SQLException {
        setObject(i, x, ParameterValues.vendorType(targetSqlType));
    }

    @Override
    public void setObject(int i, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        setObject(i, x, ParameterValues.vendorType(targetSqlType), scaleOrLength);
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

    // ---- not supported -------------------------------------------------------------------------------------

    @Override
    public void setArray(int i, Array x) throws SQLException {
        setObject(i, x);
    }

    @Override
    public void setRef(int i, Ref x) throws SQLException {
        throw JdbcSupport.unsupported("setRef");
    }

    @Override
    public void setRowId(int i, RowId x) throws SQLException {
        throw JdbcSupport.unsupported("setRowId");
    }

    @Override
    public void setSQLXML(int i, SQLXML x) throws SQLException {
        throw JdbcSupport.unsupported("setSQLXML");
    }

    @Override
    public void setURL(int i, URL x) throws SQLException {
        throw JdbcSupport.unsupported("setURL");
    }

    @Override
    public void setUnicodeStream(int i, InputStream x, int length) throws SQLException {
        throw JdbcSupport.unsupported("setUnicodeStream");
    }
}
