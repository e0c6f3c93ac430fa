package org.lockstepdb.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * {@code prepareCall}: H2 has no stored procedures of its own (user procedures need CREATE ALIAS, which LockstepDB
 * refuses), so a call is {@code CALL expression}, which H2 runs like a one-row SELECT (tools send
 * {@code call current_schema}). It is a prepared statement with IN parameters and a result set; the JDBC escape
 * {@code {call f(…)}} is read as {@code CALL f(…)}. OUT parameters and named parameters are not supported
 * (0A000): there is nothing that could set them.
 */
public final class LockstepCallableStatement extends LockstepPreparedStatement implements CallableStatement {
    LockstepCallableStatement(LockstepConnection connection, String sql, int resultSetType) throws SQLException {
        super(connection, callText(sql), resultSetType, org.lockstepdb.protocol.GeneratedKeyRequest.NONE);
    }

    /** {@code {call f(…)}} → {@code CALL f(…)}; {@code {? = call …}} is refused (an OUT parameter). */
    static String callText(String sql) throws SQLException {
        String t = sql.strip();
        if (!t.startsWith("{") || !t.endsWith("}")) {
            return sql;
        }
        String inner = t.substring(1, t.length() - 1).strip();
        if (inner.regionMatches(true, 0, "call", 0, 4) && (inner.length() == 4 || !Character.isLetterOrDigit(inner.charAt(4)))) {
            return "CALL" + inner.substring(4);
        }
        throw JdbcSupport.unsupported("The call escape '" + sql + "' (OUT parameters; use {call f(...)} and read the "
                + "result set)");
    }

    private static SQLException out(String method) {
        return JdbcSupport.unsupported("CallableStatement." + method + " (OUT and named parameters; read the CALL's"
                + " result set instead)");
    }

    @Override public <T> T getObject(String a0, Class<T> a1) throws SQLException { throw out("getObject"); }
    @Override public <T> T getObject(int a0, Class<T> a1) throws SQLException { throw out("getObject"); }
    @Override public Array getArray(String a0) throws SQLException { throw out("getArray"); }
    @Override public Array getArray(int a0) throws SQLException { throw out("getArray"); }
    @Override public BigDecimal getBigDecimal(String a0) throws SQLException { throw out("getBigDecimal"); }
    @Override public BigDecimal getBigDecimal(int a0) throws SQLException { throw out("getBigDecimal"); }
    @Override public BigDecimal getBigDecimal(int a0, int a1) throws SQLException { throw out("getBigDecimal"); }
    @Override public Blob getBlob(String a0) throws SQLException { throw out("getBlob"); }
    @Override public Blob getBlob(int a0) throws SQLException { throw out("getBlob"); }
    @Override public Clob getClob(String a0) throws SQLException { throw out("getClob"); }
    @Override public Clob getClob(int a0) throws SQLException { throw out("getClob"); }
    @Override public Date getDate(String a0) throws SQLException { throw out("getDate"); }
    @Override public Date getDate(String a0, Calendar a1) throws SQLException { throw out("getDate"); }
    @Override public Date getDate(int a0) throws SQLException { throw out("getDate"); }
    @Override public Date getDate(int a0, Calendar a1) throws SQLException { throw out("getDate"); }
    @Override public NClob getNClob(String a0) throws SQLException { throw out("getNClob"); }
    @Override public NClob getNClob(int a0) throws SQLException { throw out("getNClob"); }
    @Override public Object getObject(String a0) throws SQLException { throw out("getObject"); }
    @Override public Object getObject(String a0, Map<String, Class<?>> a1) throws SQLException { throw out("getObject"); }
    @Override public Object getObject(int a0) throws SQLException { throw out("getObject"); }
    @Override public Object getObject(int a0, Map<String, Class<?>> a1) throws SQLException { throw out("getObject"); }
    @Override public Reader getCharacterStream(String a0) throws SQLException { throw out("getCharacterStream"); }
    @Override public Reader getCharacterStream(int a0) throws SQLException { throw out("getCharacterStream"); }
    @Override public Reader getNCharacterStream(String a0) throws SQLException { throw out("getNCharacterStream"); }
    @Override public Reader getNCharacterStream(int a0) throws SQLException { throw out("getNCharacterStream"); }
    @Override public Ref getRef(String a0) throws SQLException { throw out("getRef"); }
    @Override public Ref getRef(int a0) throws SQLException { throw out("getRef"); }
    @Override public RowId getRowId(String a0) throws SQLException { throw out("getRowId"); }
    @Override public RowId getRowId(int a0) throws SQLException { throw out("getRowId"); }
    @Override public SQLXML getSQLXML(String a0) throws SQLException { throw out("getSQLXML"); }
    @Override public SQLXML getSQLXML(int a0) throws SQLException { throw out("getSQLXML"); }
    @Override public String getNString(String a0) throws SQLException { throw out("getNString"); }
    @Override public String getNString(int a0) throws SQLException { throw out("getNString"); }
    @Override public String getString(String a0) throws SQLException { throw out("getString"); }
    @Override public String getString(int a0) throws SQLException { throw out("getString"); }
    @Override public Time getTime(String a0) throws SQLException { throw out("getTime"); }
    @Override public Time getTime(String a0, Calendar a1) throws SQLException { throw out("getTime"); }
    @Override public Time getTime(int a0) throws SQLException { throw out("getTime"); }
    @Override public Time getTime(int a0, Calendar a1) throws SQLException { throw out("getTime"); }
    @Override public Timestamp getTimestamp(String a0) throws SQLException { throw out("getTimestamp"); }
    @Override public Timestamp getTimestamp(String a0, Calendar a1) throws SQLException { throw out("getTimestamp"); }
    @Override public Timestamp getTimestamp(int a0) throws SQLException { throw out("getTimestamp"); }
    @Override public Timestamp getTimestamp(int a0, Calendar a1) throws SQLException { throw out("getTimestamp"); }
    @Override public boolean getBoolean(String a0) throws SQLException { throw out("getBoolean"); }
    @Override public boolean getBoolean(int a0) throws SQLException { throw out("getBoolean"); }
    @Override public boolean wasNull() throws SQLException { throw out("wasNull"); }
    @Override public byte getByte(String a0) throws SQLException { throw out("getByte"); }
    @Override public byte getByte(int a0) throws SQLException { throw out("getByte"); }
    @Override public byte[] getBytes(String a0) throws SQLException { throw out("getBytes"); }
    @Override public byte[] getBytes(int a0) throws SQLException { throw out("getBytes"); }
    @Override public double getDouble(String a0) throws SQLException { throw out("getDouble"); }
    @Override public double getDouble(int a0) throws SQLException { throw out("getDouble"); }
    @Override public float getFloat(String a0) throws SQLException { throw out("getFloat"); }
    @Override public float getFloat(int a0) throws SQLException { throw out("getFloat"); }
    @Override public int getInt(String a0) throws SQLException { throw out("getInt"); }
    @Override public int getInt(int a0) throws SQLException { throw out("getInt"); }
    @Override public java.net.URL getURL(String a0) throws SQLException { throw out("getURL"); }
    @Override public java.net.URL getURL(int a0) throws SQLException { throw out("getURL"); }
    @Override public long getLong(String a0) throws SQLException { throw out("getLong"); }
    @Override public long getLong(int a0) throws SQLException { throw out("getLong"); }
    @Override public short getShort(String a0) throws SQLException { throw out("getShort"); }
    @Override public short getShort(int a0) throws SQLException { throw out("getShort"); }
    @Override public void registerOutParameter(String a0, int a1) throws SQLException { throw out("registerOutParameter"); }
    @Override public void registerOutParameter(String a0, int a1, String a2) throws SQLException { throw out("registerOutParameter"); }
    @Override public void registerOutParameter(String a0, int a1, int a2) throws SQLException { throw out("registerOutParameter"); }
    @Override public void registerOutParameter(int a0, int a1) throws SQLException { throw out("registerOutParameter"); }
    @Override public void registerOutParameter(int a0, int a1, String a2) throws SQLException { throw out("registerOutParameter"); }
    @Override public void registerOutParameter(int a0, int a1, int a2) throws SQLException { throw out("registerOutParameter"); }
    @Override public void setAsciiStream(String a0, InputStream a1) throws SQLException { throw out("setAsciiStream"); }
    @Override public void setAsciiStream(String a0, InputStream a1, int a2) throws SQLException { throw out("setAsciiStream"); }
    @Override public void setAsciiStream(String a0, InputStream a1, long a2) throws SQLException { throw out("setAsciiStream"); }
    @Override public void setBigDecimal(String a0, BigDecimal a1) throws SQLException { throw out("setBigDecimal"); }
    @Override public void setBinaryStream(String a0, InputStream a1) throws SQLException { throw out("setBinaryStream"); }
    @Override public void setBinaryStream(String a0, InputStream a1, int a2) throws SQLException { throw out("setBinaryStream"); }
    @Override public void setBinaryStream(String a0, InputStream a1, long a2) throws SQLException { throw out("setBinaryStream"); }
    @Override public void setBlob(String a0, Blob a1) throws SQLException { throw out("setBlob"); }
    @Override public void setBlob(String a0, InputStream a1) throws SQLException { throw out("setBlob"); }
    @Override public void setBlob(String a0, InputStream a1, long a2) throws SQLException { throw out("setBlob"); }
    @Override public void setBoolean(String a0, boolean a1) throws SQLException { throw out("setBoolean"); }
    @Override public void setByte(String a0, byte a1) throws SQLException { throw out("setByte"); }
    @Override public void setBytes(String a0, byte[] a1) throws SQLException { throw out("setBytes"); }
    @Override public void setCharacterStream(String a0, Reader a1) throws SQLException { throw out("setCharacterStream"); }
    @Override public void setCharacterStream(String a0, Reader a1, int a2) throws SQLException { throw out("setCharacterStream"); }
    @Override public void setCharacterStream(String a0, Reader a1, long a2) throws SQLException { throw out("setCharacterStream"); }
    @Override public void setClob(String a0, Clob a1) throws SQLException { throw out("setClob"); }
    @Override public void setClob(String a0, Reader a1) throws SQLException { throw out("setClob"); }
    @Override public void setClob(String a0, Reader a1, long a2) throws SQLException { throw out("setClob"); }
    @Override public void setDate(String a0, Date a1) throws SQLException { throw out("setDate"); }
    @Override public void setDate(String a0, Date a1, Calendar a2) throws SQLException { throw out("setDate"); }
    @Override public void setDouble(String a0, double a1) throws SQLException { throw out("setDouble"); }
    @Override public void setFloat(String a0, float a1) throws SQLException { throw out("setFloat"); }
    @Override public void setInt(String a0, int a1) throws SQLException { throw out("setInt"); }
    @Override public void setLong(String a0, long a1) throws SQLException { throw out("setLong"); }
    @Override public void setNCharacterStream(String a0, Reader a1) throws SQLException { throw out("setNCharacterStream"); }
    @Override public void setNCharacterStream(String a0, Reader a1, long a2) throws SQLException { throw out("setNCharacterStream"); }
    @Override public void setNClob(String a0, NClob a1) throws SQLException { throw out("setNClob"); }
    @Override public void setNClob(String a0, Reader a1) throws SQLException { throw out("setNClob"); }
    @Override public void setNClob(String a0, Reader a1, long a2) throws SQLException { throw out("setNClob"); }
    @Override public void setNString(String a0, String a1) throws SQLException { throw out("setNString"); }
    @Override public void setNull(String a0, int a1) throws SQLException { throw out("setNull"); }
    @Override public void setNull(String a0, int a1, String a2) throws SQLException { throw out("setNull"); }
    @Override public void setObject(String a0, Object a1) throws SQLException { throw out("setObject"); }
    @Override public void setObject(String a0, Object a1, int a2) throws SQLException { throw out("setObject"); }
    @Override public void setObject(String a0, Object a1, int a2, int a3) throws SQLException { throw out("setObject"); }
    @Override public void setRowId(String a0, RowId a1) throws SQLException { throw out("setRowId"); }
    @Override public void setSQLXML(String a0, SQLXML a1) throws SQLException { throw out("setSQLXML"); }
    @Override public void setShort(String a0, short a1) throws SQLException { throw out("setShort"); }
    @Override public void setString(String a0, String a1) throws SQLException { throw out("setString"); }
    @Override public void setTime(String a0, Time a1) throws SQLException { throw out("setTime"); }
    @Override public void setTime(String a0, Time a1, Calendar a2) throws SQLException { throw out("setTime"); }
    @Override public void setTimestamp(String a0, Timestamp a1) throws SQLException { throw out("setTimestamp"); }
    @Override public void setTimestamp(String a0, Timestamp a1, Calendar a2) throws SQLException { throw out("setTimestamp"); }
    @Override public void setURL(String a0, java.net.URL a1) throws SQLException { throw out("setURL"); }
}
