package org.lockstepdb.jdbc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.SQLException;

/** A {@link Clob} (and {@link NClob}) held in memory: a CLOB result cell, or one from {@code Connection.createClob()}. */
public final class MemoryClob implements NClob {
    private String data;

    public MemoryClob(String data) {
        this.data = data == null ? "" : data;
    }

    private String data() throws SQLException {
        if (data == null) {
            throw new SQLException("Clob was freed", "HY000");
        }
        return data;
    }

    @Override
    public long length() throws SQLException {
        return data().length();
    }

    @Override
    public String getSubString(long pos, int length) throws SQLException {
        String d = data();
        MemoryBlob.checkPos(pos, d.length());
        if (length < 0) {
            throw new SQLException("length must be >= 0", "22023");
        }
        int from = (int) (pos - 1);
        return d.substring(from, Math.min(d.length(), from + length));
    }

    @Override
    public Reader getCharacterStream() throws SQLException {
        return new StringReader(data());
    }

    @Override
    public Reader getCharacterStream(long pos, long length) throws SQLException {
        return new StringReader(getSubString(pos, (int) Math.min(Integer.MAX_VALUE, length)));
    }

    @Override
    public InputStream getAsciiStream() throws SQLException {
        return new ByteArrayInputStream(data().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public long position(String searchstr, long start) throws SQLException {
        String d = data();
        MemoryBlob.checkPos(start, d.length());
        int i = d.indexOf(searchstr, (int) start - 1);
        return i < 0 ? -1 : i + 1;
    }

    @Override
    public long position(Clob searchstr, long start) throws SQLException {
        return position(searchstr.getSubString(1, (int) searchstr.length()), start);
    }

    @Override
    public int setString(long pos, String str) throws SQLException {
        return setString(pos, str, 0, str.length());
    }

    @Override
    public int setString(long pos, String str, int offset, int len) throws SQLException {
        String d = data();
        if (pos < 1 || pos > d.length() + 1L) {
            throw new SQLException("position " + pos + " outside 1.." + (d.length() + 1), "22003");
        }
        int from = (int) (pos - 1);
        String piece = str.substring(offset, offset + len);
        int end = from + len;
        data = d.substring(0, from) + piece + (end < d.length() ? d.substring(end) : "");
        return len;
    }

    @Override
    public OutputStream setAsciiStream(long pos) throws SQLException {
        throw JdbcSupport.unsupported("Clob.setAsciiStream");
    }

    @Override
    public Writer setCharacterStream(long pos) throws SQLException {
        data();
        return new StringWriter() {
            @Override
            public void close() {
                try {
                    setString(pos, toString());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    @Override
    public void truncate(long len) throws SQLException {
        data = data().substring(0, (int) Math.min(len, data().length()));
    }

    @Override
    public void free() {
        data = null;
    }

    @Override
    public String toString() {
        return data == null ? "" : data;
    }
}
