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

/** Generated stubs: every {@code ResultSet} method this driver does not support. Subclasses override what they support. */
abstract class AbstractResultSet implements ResultSet {

    @Override
    public boolean absolute(int p1) throws SQLException {
        throw unsupported("absolute");
    }

    @Override
    public void afterLast() throws SQLException {
        throw unsupported("afterLast");
    }

    @Override
    public void beforeFirst() throws SQLException {
        throw unsupported("beforeFirst");
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        throw unsupported("cancelRowUpdates");
    }

    @Override
    public void clearWarnings() throws SQLException {
        throw unsupported("clearWarnings");
    }

    @Override
    public void close() throws SQLException {
        throw unsupported("close");
    }

    @Override
    public void deleteRow() throws SQLException {
        throw unsupported("deleteRow");
    }

    @Override
    public int findColumn(String p1) throws SQLException {
        throw unsupported("findColumn");
    }

    @Override
    public boolean first() throws SQLException {
        throw unsupported("first");
    }

    @Override
    public Array getArray(String p1) throws SQLException {
        throw unsupported("getArray");
    }

    @Override
    public Array getArray(int p1) throws SQLException {
        throw unsupported("getArray");
    }

    @Override
    public InputStream getAsciiStream(String p1) throws SQLException {
        throw unsupported("getAsciiStream");
    }

    @Override
    public InputStream getAsciiStream(int p1) throws SQLException {
        throw unsupported("getAsciiStream");
    }

    @Override
    public BigDecimal getBigDecimal(String p1, int p2) throws SQLException {
        throw unsupported("getBigDecimal");
    }

    @Override
    public BigDecimal getBigDecimal(String p1) throws SQLException {
        throw unsupported("getBigDecimal");
    }

    @Override
    public BigDecimal getBigDecimal(int p1, int p2) throws SQLException {
        throw unsupported("getBigDecimal");
    }

    @Override
    public BigDecimal getBigDecimal(int p1) throws SQLException {
        throw unsupported("getBigDecimal");
    }

    @Override
    public InputStream getBinaryStream(String p1) throws SQLException {
        throw unsupported("getBinaryStream");
    }

    @Override
    public InputStream getBinaryStream(int p1) throws SQLException {
        throw unsupported("getBinaryStream");
    }

    @Override
    public Blob getBlob(String p1) throws SQLException {
        throw unsupported("getBlob");
    }

    @Override
    public Blob getBlob(int p1) throws SQLException {
        throw unsupported("getBlob");
    }

    @Override
    public boolean getBoolean(String p1) throws SQLException {
        throw unsupported("getBoolean");
    }

    @Override
    public boolean getBoolean(int p1) throws SQLException {
        throw unsupported("getBoolean");
    }

    @Override
    public byte getByte(String p1) throws SQLException {
        throw unsupported("getByte");
    }

    @Override
    public byte getByte(int p1) throws SQLException {
        throw unsupported("getByte");
    }

    @Override
    public byte[] getBytes(String p1) throws SQLException {
        throw unsupported("getBytes");
    }

    @Override
    public byte[] getBytes(int p1) throws SQLException {
        throw unsupported("getBytes");
    }

    @Override
    public Reader getCharacterStream(String p1) throws SQLException {
        throw unsupported("getCharacterStream");
    }

    @Override
    public Reader getCharacterStream(int p1) throws SQLException {
        throw unsupported("getCharacterStream");
    }

    @Override
    public Clob getClob(String p1) throws SQLException {
        throw unsupported("getClob");
    }

    @Override
    public Clob getClob(int p1) throws SQLException {
        throw unsupported("getClob");
    }

    @Override
    public int getConcurrency() throws SQLException {
        throw unsupported("getConcurrency");
    }

    @Override
    public String getCursorName() throws SQLException {
        throw unsupported("getCursorName");
    }

    @Override
    public Date getDate(String p1, Calendar p2) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public Date getDate(String p1) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public Date getDate(int p1, Calendar p2) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public Date getDate(int p1) throws SQLException {
        throw unsupported("getDate");
    }

    @Override
    public double getDouble(String p1) throws SQLException {
        throw unsupported("getDouble");
    }

    @Override
    public double getDouble(int p1) throws SQLException {
        throw unsupported("getDouble");
    }

    @Override
    public int getFetchDirection() throws SQLException {
        throw unsupported("getFetchDirection");
    }

    @Override
    public int getFetchSize() throws SQLException {
        throw unsupported("getFetchSize");
    }

    @Override
    public float getFloat(String p1) throws SQLException {
        throw unsupported("getFloat");
    }

    @Override
    public float getFloat(int p1) throws SQLException {
        throw unsupported("getFloat");
    }

    @Override
    public int getHoldability() throws SQLException {
        throw unsupported("getHoldability");
    }

    @Override
    public int getInt(String p1) throws SQLException {
        throw unsupported("getInt");
    }

    @Override
    public int getInt(int p1) throws SQLException {
        throw unsupported("getInt");
    }

    @Override
    public long getLong(String p1) throws SQLException {
        throw unsupported("getLong");
    }

    @Override
    public long getLong(int p1) throws SQLException {
        throw unsupported("getLong");
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        throw unsupported("getMetaData");
    }

    @Override
    public Reader getNCharacterStream(String p1) throws SQLException {
        throw unsupported("getNCharacterStream");
    }

    @Override
    public Reader getNCharacterStream(int p1) throws SQLException {
        throw unsupported("getNCharacterStream");
    }

    @Override
    public NClob getNClob(String p1) throws SQLException {
        throw unsupported("getNClob");
    }

    @Override
    public NClob getNClob(int p1) throws SQLException {
        throw unsupported("getNClob");
    }

    @Override
    public String getNString(String p1) throws SQLException {
        throw unsupported("getNString");
    }

    @Override
    public String getNString(int p1) throws SQLException {
        throw unsupported("getNString");
    }

    @Override
    public <T> T getObject(String p1, Class<T> p2) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public Object getObject(String p1, Map<String, Class<?>> p2) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public Object getObject(String p1) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public <T> T getObject(int p1, Class<T> p2) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public Object getObject(int p1, Map<String, Class<?>> p2) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public Object getObject(int p1) throws SQLException {
        throw unsupported("getObject");
    }

    @Override
    public Ref getRef(String p1) throws SQLException {
        throw unsupported("getRef");
    }

    @Override
    public Ref getRef(int p1) throws SQLException {
        throw unsupported("getRef");
    }

    @Override
    public int getRow() throws SQLException {
        throw unsupported("getRow");
    }

    @Override
    public RowId getRowId(String p1) throws SQLException {
        throw unsupported("getRowId");
    }

    @Override
    public RowId getRowId(int p1) throws SQLException {
        throw unsupported("getRowId");
    }

    @Override
    public SQLXML getSQLXML(String p1) throws SQLException {
        throw unsupported("getSQLXML");
    }

    @Override
    public SQLXML getSQLXML(int p1) throws SQLException {
        throw unsupported("getSQLXML");
    }

    @Override
    public short getShort(String p1) throws SQLException {
        throw unsupported("getShort");
    }

    @Override
    public short getShort(int p1) throws SQLException {
        throw unsupported("getShort");
    }

    @Override
    public Statement getStatement() throws SQLException {
        throw unsupported("getStatement");
    }

    @Override
    public String getString(String p1) throws SQLException {
        throw unsupported("getString");
    }

    @Override
    public String getString(int p1) throws SQLException {
        throw unsupported("getString");
    }

    @Override
    public Time getTime(String p1, Calendar p2) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Time getTime(String p1) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Time getTime(int p1, Calendar p2) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Time getTime(int p1) throws SQLException {
        throw unsupported("getTime");
    }

    @Override
    public Timestamp getTimestamp(String p1, Calendar p2) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public Timestamp getTimestamp(String p1) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public Timestamp getTimestamp(int p1, Calendar p2) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public Timestamp getTimestamp(int p1) throws SQLException {
        throw unsupported("getTimestamp");
    }

    @Override
    public int getType() throws SQLException {
        throw unsupported("getType");
    }

    @Override
    public URL getURL(String p1) throws SQLException {
        throw unsupported("getURL");
    }

    @Override
    public URL getURL(int p1) throws SQLException {
        throw unsupported("getURL");
    }

    @Override
    public InputStream getUnicodeStream(String p1) throws SQLException {
        throw unsupported("getUnicodeStream");
    }

    @Override
    public InputStream getUnicodeStream(int p1) throws SQLException {
        throw unsupported("getUnicodeStream");
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        throw unsupported("getWarnings");
    }

    @Override
    public void insertRow() throws SQLException {
        throw unsupported("insertRow");
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        throw unsupported("isAfterLast");
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        throw unsupported("isBeforeFirst");
    }

    @Override
    public boolean isClosed() throws SQLException {
        throw unsupported("isClosed");
    }

    @Override
    public boolean isFirst() throws SQLException {
        throw unsupported("isFirst");
    }

    @Override
    public boolean isLast() throws SQLException {
        throw unsupported("isLast");
    }

    @Override
    public boolean isWrapperFor(Class<?> p1) throws SQLException {
        throw unsupported("isWrapperFor");
    }

    @Override
    public boolean last() throws SQLException {
        throw unsupported("last");
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        throw unsupported("moveToCurrentRow");
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        throw unsupported("moveToInsertRow");
    }

    @Override
    public boolean next() throws SQLException {
        throw unsupported("next");
    }

    @Override
    public boolean previous() throws SQLException {
        throw unsupported("previous");
    }

    @Override
    public void refreshRow() throws SQLException {
        throw unsupported("refreshRow");
    }

    @Override
    public boolean relative(int p1) throws SQLException {
        throw unsupported("relative");
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        throw unsupported("rowDeleted");
    }

    @Override
    public boolean rowInserted() throws SQLException {
        throw unsupported("rowInserted");
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        throw unsupported("rowUpdated");
    }

    @Override
    public void setFetchDirection(int p1) throws SQLException {
        throw unsupported("setFetchDirection");
    }

    @Override
    public void setFetchSize(int p1) throws SQLException {
        throw unsupported("setFetchSize");
    }

    @Override
    public <T> T unwrap(Class<T> p1) throws SQLException {
        throw unsupported("unwrap");
    }

    @Override
    public void updateArray(String p1, Array p2) throws SQLException {
        throw unsupported("updateArray");
    }

    @Override
    public void updateArray(int p1, Array p2) throws SQLException {
        throw unsupported("updateArray");
    }

    @Override
    public void updateAsciiStream(String p1, InputStream p2, int p3) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(String p1, InputStream p2, long p3) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(String p1, InputStream p2) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(int p1, InputStream p2, int p3) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(int p1, InputStream p2, long p3) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateAsciiStream(int p1, InputStream p2) throws SQLException {
        throw unsupported("updateAsciiStream");
    }

    @Override
    public void updateBigDecimal(String p1, BigDecimal p2) throws SQLException {
        throw unsupported("updateBigDecimal");
    }

    @Override
    public void updateBigDecimal(int p1, BigDecimal p2) throws SQLException {
        throw unsupported("updateBigDecimal");
    }

    @Override
    public void updateBinaryStream(String p1, InputStream p2, int p3) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(String p1, InputStream p2, long p3) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(String p1, InputStream p2) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(int p1, InputStream p2, int p3) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(int p1, InputStream p2, long p3) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBinaryStream(int p1, InputStream p2) throws SQLException {
        throw unsupported("updateBinaryStream");
    }

    @Override
    public void updateBlob(String p1, InputStream p2, long p3) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(String p1, InputStream p2) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(String p1, Blob p2) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(int p1, InputStream p2, long p3) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(int p1, InputStream p2) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBlob(int p1, Blob p2) throws SQLException {
        throw unsupported("updateBlob");
    }

    @Override
    public void updateBoolean(String p1, boolean p2) throws SQLException {
        throw unsupported("updateBoolean");
    }

    @Override
    public void updateBoolean(int p1, boolean p2) throws SQLException {
        throw unsupported("updateBoolean");
    }

    @Override
    public void updateByte(String p1, byte p2) throws SQLException {
        throw unsupported("updateByte");
    }

    @Override
    public void updateByte(int p1, byte p2) throws SQLException {
        throw unsupported("updateByte");
    }

    @Override
    public void updateBytes(String p1, byte[] p2) throws SQLException {
        throw unsupported("updateBytes");
    }

    @Override
    public void updateBytes(int p1, byte[] p2) throws SQLException {
        throw unsupported("updateBytes");
    }

    @Override
    public void updateCharacterStream(String p1, Reader p2, int p3) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(String p1, Reader p2, long p3) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(String p1, Reader p2) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(int p1, Reader p2, int p3) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(int p1, Reader p2, long p3) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateCharacterStream(int p1, Reader p2) throws SQLException {
        throw unsupported("updateCharacterStream");
    }

    @Override
    public void updateClob(String p1, Reader p2, long p3) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(String p1, Reader p2) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(String p1, Clob p2) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(int p1, Reader p2, long p3) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(int p1, Reader p2) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateClob(int p1, Clob p2) throws SQLException {
        throw unsupported("updateClob");
    }

    @Override
    public void updateDate(String p1, Date p2) throws SQLException {
        throw unsupported("updateDate");
    }

    @Override
    public void updateDate(int p1, Date p2) throws SQLException {
        throw unsupported("updateDate");
    }

    @Override
    public void updateDouble(String p1, double p2) throws SQLException {
        throw unsupported("updateDouble");
    }

    @Override
    public void updateDouble(int p1, double p2) throws SQLException {
        throw unsupported("updateDouble");
    }

    @Override
    public void updateFloat(String p1, float p2) throws SQLException {
        throw unsupported("updateFloat");
    }

    @Override
    public void updateFloat(int p1, float p2) throws SQLException {
        throw unsupported("updateFloat");
    }

    @Override
    public void updateInt(String p1, int p2) throws SQLException {
        throw unsupported("updateInt");
    }

    @Override
    public void updateInt(int p1, int p2) throws SQLException {
        throw unsupported("updateInt");
    }

    @Override
    public void updateLong(String p1, long p2) throws SQLException {
        throw unsupported("updateLong");
    }

    @Override
    public void updateLong(int p1, long p2) throws SQLException {
        throw unsupported("updateLong");
    }

    @Override
    public void updateNCharacterStream(String p1, Reader p2, long p3) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(String p1, Reader p2) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(int p1, Reader p2, long p3) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNCharacterStream(int p1, Reader p2) throws SQLException {
        throw unsupported("updateNCharacterStream");
    }

    @Override
    public void updateNClob(String p1, Reader p2, long p3) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(String p1, Reader p2) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(String p1, NClob p2) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(int p1, Reader p2, long p3) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(int p1, Reader p2) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNClob(int p1, NClob p2) throws SQLException {
        throw unsupported("updateNClob");
    }

    @Override
    public void updateNString(String p1, String p2) throws SQLException {
        throw unsupported("updateNString");
    }

    @Override
    public void updateNString(int p1, String p2) throws SQLException {
        throw unsupported("updateNString");
    }

    @Override
    public void updateNull(String p1) throws SQLException {
        throw unsupported("updateNull");
    }

    @Override
    public void updateNull(int p1) throws SQLException {
        throw unsupported("updateNull");
    }

    @Override
    public void updateObject(String p1, Object p2, int p3) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateObject(String p1, Object p2) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateObject(int p1, Object p2, int p3) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateObject(int p1, Object p2) throws SQLException {
        throw unsupported("updateObject");
    }

    @Override
    public void updateRef(String p1, Ref p2) throws SQLException {
        throw unsupported("updateRef");
    }

    @Override
    public void updateRef(int p1, Ref p2) throws SQLException {
        throw unsupported("updateRef");
    }

    @Override
    public void updateRow() throws SQLException {
        throw unsupported("updateRow");
    }

    @Override
    public void updateRowId(String p1, RowId p2) throws SQLException {
        throw unsupported("updateRowId");
    }

    @Override
    public void updateRowId(int p1, RowId p2) throws SQLException {
        throw unsupported("updateRowId");
    }

    @Override
    public void updateSQLXML(String p1, SQLXML p2) throws SQLException {
        throw unsupported("updateSQLXML");
    }

    @Override
    public void updateSQLXML(int p1, SQLXML p2) throws SQLException {
        throw unsupported("updateSQLXML");
    }

    @Override
    public void updateShort(String p1, short p2) throws SQLException {
        throw unsupported("updateShort");
    }

    @Override
    public void updateShort(int p1, short p2) throws SQLException {
        throw unsupported("updateShort");
    }

    @Override
    public void updateString(String p1, String p2) throws SQLException {
        throw unsupported("updateString");
    }

    @Override
    public void updateString(int p1, String p2) throws SQLException {
        throw unsupported("updateString");
    }

    @Override
    public void updateTime(String p1, Time p2) throws SQLException {
        throw unsupported("updateTime");
    }

    @Override
    public void updateTime(int p1, Time p2) throws SQLException {
        throw unsupported("updateTime");
    }

    @Override
    public void updateTimestamp(String p1, Timestamp p2) throws SQLException {
        throw unsupported("updateTimestamp");
    }

    @Override
    public void updateTimestamp(int p1, Timestamp p2) throws SQLException {
        throw unsupported("updateTimestamp");
    }

    @Override
    public boolean wasNull() throws SQLException {
        throw unsupported("wasNull");
    }

}
