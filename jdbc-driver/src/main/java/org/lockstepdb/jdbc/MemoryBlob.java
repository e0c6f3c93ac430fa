package org.lockstepdb.jdbc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Blob;
import java.sql.SQLException;
import java.util.Arrays;

/** A {@link Blob} held in memory: a BLOB result cell, or one built by {@code Connection.createBlob()}. */
public final class MemoryBlob implements Blob {
    private byte[] data;

    public MemoryBlob(byte[] data) {
        this.data = data == null ? new byte[0] : data.clone();
    }

    private byte[] data() throws SQLException {
        if (data == null) {
            throw new SQLException("Blob was freed", "HY000");
        }
        return data;
    }

    @Override
    public long length() throws SQLException {
        return data().length;
    }

    @Override
    public byte[] getBytes(long pos, int length) throws SQLException {
        byte[] d = data();
        checkPos(pos, d.length);
        if (length < 0) {
            throw new SQLException("length must be >= 0", "22023");
        }
        int from = (int) (pos - 1);
        return Arrays.copyOfRange(d, from, Math.min(d.length, from + length));
    }

    @Override
    public InputStream getBinaryStream() throws SQLException {
        return new ByteArrayInputStream(data());
    }

    @Override
    public InputStream getBinaryStream(long pos, long length) throws SQLException {
        return new ByteArrayInputStream(getBytes(pos, (int) Math.min(Integer.MAX_VALUE, length)));
    }

    @Override
    public long position(byte[] pattern, long start) throws SQLException {
        byte[] d = data();
        checkPos(start, d.length);
        outer:
        for (int i = (int) start - 1; i <= d.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (d[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i + 1;
        }
        return -1;
    }

    @Override
    public long position(Blob pattern, long start) throws SQLException {
        return position(pattern.getBytes(1, (int) pattern.length()), start);
    }

    @Override
    public int setBytes(long pos, byte[] bytes) throws SQLException {
        return setBytes(pos, bytes, 0, bytes.length);
    }

    @Override
    public int setBytes(long pos, byte[] bytes, int offset, int len) throws SQLException {
        byte[] d = data();
        if (pos < 1 || pos > d.length + 1L) {
            throw new SQLException("position " + pos + " outside 1.." + (d.length + 1), "22003");
        }
        int from = (int) (pos - 1);
        if (from + len > d.length) {
            d = Arrays.copyOf(d, from + len);
        }
        System.arraycopy(bytes, offset, d, from, len);
        data = d;
        return len;
    }

    @Override
    public OutputStream setBinaryStream(long pos) throws SQLException {
        data();
        return new ByteArrayOutputStream() {
            @Override
            public void close() {
                try {
                    setBytes(pos, toByteArray());
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    @Override
    public void truncate(long len) throws SQLException {
        data = Arrays.copyOf(data(), (int) Math.min(len, data().length));
    }

    @Override
    public void free() {
        data = null;
    }

    /** The bytes (a copy). */
    public byte[] toBytes() throws SQLException {
        return data().clone();
    }

    static void checkPos(long pos, int length) throws SQLException {
        if (pos < 1 || pos > length + 1L) {
            throw new SQLException("position " + pos + " outside 1.." + (length + 1), "22003");
        }
    }
}
