package org.lockstepdb.jdbc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.Value;

/**
 * A read-only result over a fully materialized {@link ResultData}. Forward-only by default; since every row is
 * already in memory, {@code TYPE_SCROLL_INSENSITIVE} is supported too. Column labels are matched case-insensitively
 * (the first column with that label wins).
 *
 * <p>This class holds the cursor and reads values by column index. The getters by label are in
 * {@link ResultSetByLabel}, and the refused half of {@code ResultSet} (updates, unsupported types) in
 * {@link ReadOnlyResultSet}: the interface has about 190 methods, too many for one readable file.
 */
public class LockstepResultSet extends ResultSetByLabel {
    private final Statement statement;
    private final ResultData data;
    private final int type;
    private final List<List<Value>> rows;
    /** 0 = before first, rows.size()+1 = after last. */
    private int row;
    private boolean wasNull;
    private boolean closed;
    private int fetchSize;
    private Map<String, Integer> labels;
    private SQLWarning warnings;

    public LockstepResultSet(Statement statement, ResultData data, int type) {
        this.statement = statement;
        this.data = data;
        this.type = type == ResultSet.TYPE_FORWARD_ONLY ? type : ResultSet.TYPE_SCROLL_INSENSITIVE;
        this.rows = data.rows();
    }

    /** A forward-only result without a statement (metadata, generated keys). */
    public LockstepResultSet(ResultData data) {
        this(null, data, ResultSet.TYPE_FORWARD_ONLY);
    }

    /** The materialized data behind this result. */
    public ResultData data() {
        return data;
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw JdbcSupport.closed("ResultSet");
        }
    }

    private void checkScrollable() throws SQLException {
        checkOpen();
        if (type == ResultSet.TYPE_FORWARD_ONLY) {
            throw new SQLException("The result set is TYPE_FORWARD_ONLY", "24000");
        }
    }

    /** The cell at column {@code index} (1-based) of the current row; sets wasNull. */
    private Value value(int index) throws SQLException {
        checkOpen();
        if (row < 1 || row > rows.size()) {
            throw new SQLException("No current row (call next() first, or the result has no more rows)", "24000");
        }
        if (index < 1 || index > data.columns().size()) {
            throw new SQLException("Invalid column index " + index + "; the result has " + data.columns().size()
                    + " columns", "07009");
        }
        Value v = rows.get(row - 1).get(index - 1);
        wasNull = v == null || v.isNull();
        return v;
    }

    @Override
    public int findColumn(String label) throws SQLException {
        checkOpen();
        if (label == null) {
            throw new SQLException("Column label must not be null", "07009");
        }
        if (labels == null) {
            Map<String, Integer> m = new HashMap<>();
            List<ColumnMeta> cols = data.columns();
            for (int i = 0; i < cols.size(); i++) {
                m.putIfAbsent(cols.get(i).label().toUpperCase(Locale.ROOT), i + 1);
            }
            for (int i = 0; i < cols.size(); i++) {
                m.putIfAbsent(cols.get(i).name().toUpperCase(Locale.ROOT), i + 1);
            }
            labels = m;
        }
        Integer i = labels.get(label.toUpperCase(Locale.ROOT));
        if (i == null) {
            throw new SQLException("Column \"" + label + "\" not found", "42S22", 42122);
        }
        return i;
    }

    // ---- navigation ----------------------------------------------------------------------------------------

    @Override
    public boolean next() throws SQLException {
        checkOpen();
        if (row <= rows.size()) {
            row++;
        }
        return row <= rows.size();
    }

    @Override
    public boolean previous() throws SQLException {
        checkScrollable();
        if (row > 0) {
            row--;
        }
        return row >= 1 && row <= rows.size();
    }

    @Override
    public boolean absolute(int r) throws SQLException {
        checkScrollable();
        int target = r >= 0 ? r : rows.size() + 1 + r;
        row = Math.max(0, Math.min(rows.size() + 1, target));
        return row >= 1 && row <= rows.size();
    }

    @Override
    public boolean relative(int r) throws SQLException {
        checkScrollable();
        row = (int) Math.max(0, Math.min(rows.size() + 1L, (long) row + r));
        return row >= 1 && row <= rows.size();
    }

    @Override
    public boolean first() throws SQLException {
        return absolute(1);
    }

    @Override
    public boolean last() throws SQLException {
        return absolute(-1);
    }

    @Override
    public void beforeFirst() throws SQLException {
        checkScrollable();
        row = 0;
    }

    @Override
    public void afterLast() throws SQLException {
        checkScrollable();
        row = rows.size() + 1;
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkOpen();
        return row == 0 && !rows.isEmpty();
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkOpen();
        return row > rows.size() && !rows.isEmpty();
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkOpen();
        return row == 1 && !rows.isEmpty();
    }

    @Override
    public boolean isLast() throws SQLException {
        checkOpen();
        return row == rows.size() && !rows.isEmpty();
    }

    @Override
    public int getRow() throws SQLException {
        checkOpen();
        return row >= 1 && row <= rows.size() ? row : 0;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (statement instanceof LockstepStatement) {
            ((LockstepStatement) statement).resultSetClosed(this);
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return wasNull;
    }

    // ---- getters by index ----------------------------------------------------------------------------------

    @Override
    public String getString(int i) throws SQLException {
        return ColumnCells.string(column(i), value(i));
    }

    private ColumnMeta column(int i) throws SQLException {
        value(i); // checks the row (24000) and the index (07009)
        return data.columns().get(i - 1);
    }

    private Value numeric(int i) throws SQLException {
        return ColumnCells.numeric(column(i), value(i));
    }

    private Value notEnum(int i, String target) throws SQLException {
        return ColumnCells.notEnum(column(i), value(i), target);
    }

    @Override
    public String getNString(int i) throws SQLException {
        return getString(i);
    }

    @Override
    public boolean getBoolean(int i) throws SQLException {
        return ValueConversions.toBoolean(value(i));
    }

    @Override
    public byte getByte(int i) throws SQLException {
        return (byte) ValueConversions.toLong(numeric(i), Byte.MIN_VALUE, Byte.MAX_VALUE, "TINYINT");
    }

    @Override
    public short getShort(int i) throws SQLException {
        return (short) ValueConversions.toLong(numeric(i), Short.MIN_VALUE, Short.MAX_VALUE, "SMALLINT");
    }

    @Override
    public int getInt(int i) throws SQLException {
        return ValueConversions.toInt(numeric(i));
    }

    @Override
    public long getLong(int i) throws SQLException {
        return ValueConversions.toLong(numeric(i), Long.MIN_VALUE, Long.MAX_VALUE, "BIGINT");
    }

    @Override
    public float getFloat(int i) throws SQLException {
        return (float) ValueConversions.toDouble(numeric(i));
    }

    @Override
    public double getDouble(int i) throws SQLException {
        return ValueConversions.toDouble(numeric(i));
    }

    @Override
    public BigDecimal getBigDecimal(int i) throws SQLException {
        return ValueConversions.toBigDecimal(numeric(i));
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int i, int scale) throws SQLException {
        BigDecimal d = getBigDecimal(i);
        return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
    }

    @Override
    public byte[] getBytes(int i) throws SQLException {
        return ValueConversions.toBytes(notEnum(i, "BINARY VARYING"));
    }

    @Override
    public Date getDate(int i) throws SQLException {
        return TemporalConversions.toDate(notEnum(i, "DATE"), null);
    }

    @Override
    public Date getDate(int i, Calendar cal) throws SQLException {
        return TemporalConversions.toDate(notEnum(i, "DATE"), cal);
    }

    @Override
    public Time getTime(int i) throws SQLException {
        return TemporalConversions.toTime(notEnum(i, "TIME"), null);
    }

    @Override
    public Time getTime(int i, Calendar cal) throws SQLException {
        return TemporalConversions.toTime(notEnum(i, "TIME"), cal);
    }

    @Override
    public Timestamp getTimestamp(int i) throws SQLException {
        return TemporalConversions.toTimestamp(notEnum(i, "TIMESTAMP"), null);
    }

    @Override
    public Timestamp getTimestamp(int i, Calendar cal) throws SQLException {
        return TemporalConversions.toTimestamp(notEnum(i, "TIMESTAMP"), cal);
    }

    @Override
    public Object getObject(int i) throws SQLException {
        return ColumnCells.object(column(i), value(i));
    }

    @Override
    public <T> T getObject(int i, Class<T> type) throws SQLException {
        return ColumnCells.convert(column(i), value(i), type);
    }

    @Override
    public Array getArray(int i) throws SQLException {
        return ColumnCells.array(column(i), value(i));
    }

    @Override
    public Array getArray(String label) throws SQLException {
        return getArray(findColumn(label));
    }

    @Override
    public Object getObject(int i, Map<String, Class<?>> map) throws SQLException {
        if (map != null && !map.isEmpty()) {
            throw JdbcSupport.unsupported("getObject with a type map");
        }
        return getObject(i);
    }

    @Override
    public Blob getBlob(int i) throws SQLException {
        byte[] b = ValueConversions.toBytes(notEnum(i, "BINARY LARGE OBJECT"));
        return b == null ? null : new MemoryBlob(b);
    }

    @Override
    public Clob getClob(int i) throws SQLException {
        String s = getString(i);
        return s == null ? null : new MemoryClob(s);
    }

    @Override
    public NClob getNClob(int i) throws SQLException {
        String s = getString(i);
        return s == null ? null : new MemoryClob(s);
    }

    @Override
    public InputStream getBinaryStream(int i) throws SQLException {
        byte[] b = getBytes(i);
        return b == null ? null : new ByteArrayInputStream(b);
    }

    @Override
    public InputStream getAsciiStream(int i) throws SQLException {
        String s = getString(i);
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)); // as H2
    }

    @Override
    public Reader getCharacterStream(int i) throws SQLException {
        String s = getString(i);
        return s == null ? null : new StringReader(s);
    }

    @Override
    public Reader getNCharacterStream(int i) throws SQLException {
        return getCharacterStream(i);
    }

    // ---- properties ----------------------------------------------------------------------------------------

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return new LockstepResultSetMetaData(data.columns());
    }

    @Override
    public Statement getStatement() throws SQLException {
        checkOpen();
        return statement;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return warnings;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        warnings = null;
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw new SQLException("fetch size must be >= 0", "22023");
        }
        fetchSize = rows;
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return ResultSet.FETCH_FORWARD;
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != ResultSet.FETCH_FORWARD && type == ResultSet.TYPE_FORWARD_ONLY) {
            throw new SQLException("A TYPE_FORWARD_ONLY result set only fetches forward", "24000");
        }
    }

    @Override
    public int getType() throws SQLException {
        checkOpen();
        return type;
    }

    @Override
    public int getConcurrency() throws SQLException {
        checkOpen();
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean rowInserted() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        checkOpen();
        return false;
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
