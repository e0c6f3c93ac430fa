package org.lockstepdb.jdbc;

import java.io.*;
import java.math.*;
import java.net.URL;
import java.sql.*;
import java.util.Calendar;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

import static org.lockstepdb.jdbc.JdbcSupport.unsupported;

/** Generated stubs: every {@code PreparedStatement} method this driver does not support. Subclasses override what they support. */
abstract class AbstractPreparedStatement extends LockstepStatement implements PreparedStatement {

    AbstractPreparedStatement(LockstepConnection connection, int resultSetType) {
        super(connection, resultSetType);
    }

    @Override
    public void addBatch() throws SQLException {
        throw unsupported("addBatch");
    }

    @Override
    public void clearParameters() throws SQLException {
        throw unsupported("clearParameters");
    }

    @Override
    public boolean execute() throws SQLException {
        throw unsupported("execute");
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        throw unsupported("executeQuery");
    }

    @Override
    public int executeUpdate() throws SQLException {
        throw unsupported("executeUpdate");
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        throw unsupported("getMetaData");
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        throw unsupported("getParameterMetaData");
    }

    @Override
    public void setArray(int p1, Array p2) throws SQLException {
        throw unsupported("setArray");
    }

    @Override
    public void setAsciiStream(int p1, InputStream p2, int p3) throws SQLException {
        throw unsupported("setAsciiStream");
    }

    @Override
    public void setAsciiStream(int p1, InputStream p2, long p3) throws SQLException {
        throw unsupported("setAsciiStream");
    }

    @Override
    public void setAsciiStream(int p1, InputStream p2) throws SQLException {
        throw unsupported("setAsciiStream");
    }

    @Override
    public void setBigDecimal(int p1, BigDecimal p2) throws SQLException {
        throw unsupported("setBigDecimal");
    }

    @Override
    public void setBinaryStream(int p1, InputStream p2, int p3) throws SQLException {
        throw unsupported("setBinaryStream");
    }

    @Override
    public void setBinaryStream(int p1, InputStream p2, long p3) throws SQLException {
        throw unsupported("setBinaryStream");
    }

    @Override
    public void setBinaryStream(int p1, InputStream p2) throws SQLException {
        throw unsupported("setBinaryStream");
    }

    @Override
    public void setBlob(int p1, InputStream p2, long p3) throws SQLException {
        throw unsupported("setBlob");
    }

    @Override
    public void setBlob(int p1, InputStream p2) throws SQLException {
        throw unsupported("setBlob");
    }

    @Override
    public void setBlob(int p1, Blob p2) throws SQLException {
        throw unsupported("setBlob");
    }

    @Override
    public void setBoolean(int p1, boolean p2) throws SQLException {
        throw unsupported("setBoolean");
    }

    @Override
    public void setByte(int p1, byte p2) throws SQLException {
        throw unsupported("setByte");
    }

    @Override
    public void setBytes(int p1, byte[] p2) throws SQLException {
        throw unsupported("setBytes");
    }

    @Override
    public void setCharacterStream(int p1, Reader p2, int p3) throws SQLException {
        throw unsupported("setCharacterStream");
    }

    @Override
    public void setCharacterStream(int p1, Reader p2, long p3) throws SQLException {
        throw unsupported("setCharacterStream");
    }

    @Override
    public void setCharacterStream(int p1, Reader p2) throws SQLException {
        throw unsupported("setCharacterStream");
    }

    @Override
    public void setClob(int p1, Reader p2, long p3) throws SQLException {
        throw unsupported("setClob");
    }

    @Override
    public void setClob(int p1, Reader p2) throws SQLException {
        throw unsupported("setClob");
    }

    @Override
    public void setClob(int p1, Clob p2) throws SQLException {
        throw unsupported("setClob");
    }

    @Override
    public void setDate(int p1, Date p2, Calendar p3) throws SQLException {
        throw unsupported("setDate");
    }

    @Override
    public void setDate(int p1, Date p2) throws SQLException {
        throw unsupported("setDate");
    }

    @Override
    public void setDouble(int p1, double p2) throws SQLException {
        throw unsupported("setDouble");
    }

    @Override
    public void setFloat(int p1, float p2) throws SQLException {
        throw unsupported("setFloat");
    }

    @Override
    public void setInt(int p1, int p2) throws SQLException {
        throw unsupported("setInt");
    }

    @Override
    public void setLong(int p1, long p2) throws SQLException {
        throw unsupported("setLong");
    }

    @Override
    public void setNCharacterStream(int p1, Reader p2, long p3) throws SQLException {
        throw unsupported("setNCharacterStream");
    }

    @Override
    public void setNCharacterStream(int p1, Reader p2) throws SQLException {
        throw unsupported("setNCharacterStream");
    }

    @Override
    public void setNClob(int p1, Reader p2, long p3) throws SQLException {
        throw unsupported("setNClob");
    }

    @Override
    public void setNClob(int p1, Reader p2) throws SQLException {
        throw unsupported("setNClob");
    }

    @Override
    public void setNClob(int p1, NClob p2) throws SQLException {
        throw unsupported("setNClob");
    }

    @Override
    public void setNString(int p1, String p2) throws SQLException {
        throw unsupported("setNString");
    }

    @Override
    public void setNull(int p1, int p2, String p3) throws SQLException {
        throw unsupported("setNull");
    }

    @Override
    public void setNull(int p1, int p2) throws SQLException {
        throw unsupported("setNull");
    }

    @Override
    public void setObject(int p1, Object p2, int p3, int p4) throws SQLException {
        throw unsupported("setObject");
    }

    @Override
    public void setObject(int p1, Object p2, int p3) throws SQLException {
        throw unsupported("setObject");
    }

    @Override
    public void setObject(int p1, Object p2) throws SQLException {
        throw unsupported("setObject");
    }

    @Override
    public void setRef(int p1, Ref p2) throws SQLException {
        throw unsupported("setRef");
    }

    @Override
    public void setRowId(int p1, RowId p2) throws SQLException {
        throw unsupported("setRowId");
    }

    @Override
    public void setSQLXML(int p1, SQLXML p2) throws SQLException {
        throw unsupported("setSQLXML");
    }

    @Override
    public void setShort(int p1, short p2) throws SQLException {
        throw unsupported("setShort");
    }

    @Override
    public void setString(int p1, String p2) throws SQLException {
        throw unsupported("setString");
    }

    @Override
    public void setTime(int p1, Time p2, Calendar p3) throws SQLException {
        throw unsupported("setTime");
    }

    @Override
    public void setTime(int p1, Time p2) throws SQLException {
        throw unsupported("setTime");
    }

    @Override
    public void setTimestamp(int p1, Timestamp p2, Calendar p3) throws SQLException {
        throw unsupported("setTimestamp");
    }

    @Override
    public void setTimestamp(int p1, Timestamp p2) throws SQLException {
        throw unsupported("setTimestamp");
    }

    @Override
    public void setURL(int p1, URL p2) throws SQLException {
        throw unsupported("setURL");
    }

    @Override
    public void setUnicodeStream(int p1, InputStream p2, int p3) throws SQLException {
        throw unsupported("setUnicodeStream");
    }

}
