package org.lockstepdb.storage;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.h2.api.Interval;
import org.lockstepdb.protocol.ArrayValue;
import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.IntervalValue;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

/**
 * Materializes an H2 result set as protocol {@link ResultData}, the one conversion used for query results,
 * generated keys and checksums. It counts encoded bytes as it goes and stops at a limit, so a huge result is
 * refused before it exhausts memory (LOBs are measured before they are read).
 */
final class ResultSetReader {
    private ResultSetReader() {
    }

    static List<ColumnMeta> columns(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<ColumnMeta> columns = new ArrayList<>(md.getColumnCount());
        for (int i = 1; i <= md.getColumnCount(); i++) {
            columns.add(ColumnTypes.describe(md, i));
        }
        return columns;
    }

    static ResultData read(ResultSet rs, long maxBytes) throws SQLException, ResultTooLargeException {
        return read(rs, maxBytes, Integer.MAX_VALUE, row -> { }, true);
    }

    /** Reads at most {@code maxRows} rows (the rest stay unread) and at most {@code maxBytes} encoded bytes. */
    static ResultData read(ResultSet rs, long maxBytes, int maxRows) throws SQLException, ResultTooLargeException {
        return read(rs, maxBytes, maxRows, row -> { }, true);
    }

    /** Sees each row of a result as it is read. */
    interface RowSink {
        void row(List<Value> row);
    }

    /**
     * Reads up to {@code maxRows} rows, handing each to {@code sink} in result order. With {@code keepRows} the
     * rows are also returned and count against {@code maxBytes}; without, only the columns are returned and no
     * limit applies (a digest over a result of any size, {@link TransactionReplay}).
     */
    static ResultData read(ResultSet rs, long maxBytes, int maxRows, RowSink sink, boolean keepRows)
            throws SQLException, ResultTooLargeException {
        List<ColumnMeta> columns = columns(rs);
        long limit = keepRows ? maxBytes : Long.MAX_VALUE;
        long bytes = 8;
        for (ColumnMeta c : columns) {
            bytes += EncodedSize.of(c);
        }
        List<List<Value>> rows = new ArrayList<>();
        for (int read = 0; read < maxRows && rs.next(); read++) {
            List<Value> row = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                Value v = readValue(rs, i + 1, columns.get(i).valueType(), keepRows ? limit - bytes : Long.MAX_VALUE);
                if (keepRows) {
                    bytes += EncodedSize.of(v);
                    if (bytes > limit) {
                        throw new ResultTooLargeException();
                    }
                }
                row.add(v);
            }
            sink.row(row);
            if (keepRows) {
                rows.add(row);
            }
        }
        return new ResultData(columns, rows);
    }

    /**
     * Reads one cell as the given type. {@code budgetBytes} is what the result may still grow by: LOBs longer
     * than that are refused before they are read into memory.
     */
    static Value readValue(ResultSet rs, int i, ValueType type, long budgetBytes)
            throws SQLException, ResultTooLargeException {
        Object o = switch (type) {
            case NULL -> null;
            case BOOLEAN -> rs.getObject(i, Boolean.class);
            case TINYINT -> rs.getObject(i, Byte.class);
            case SMALLINT -> rs.getObject(i, Short.class);
            case INTEGER -> rs.getObject(i, Integer.class);
            case BIGINT -> rs.getObject(i, Long.class);
            case REAL -> rs.getObject(i, Float.class);
            case DOUBLE -> rs.getObject(i, Double.class);
            case DECIMAL -> {
                try {
                    yield rs.getObject(i, BigDecimal.class);
                } catch (SQLException e) { // rare: looked into only when it happens, not per cell
                    Double notFinite = notFiniteDecfloat(rs, i);
                    if (notFinite == null) {
                        throw e;
                    }
                    yield notFinite;
                }
            }
            case CHAR, VARCHAR -> rs.getString(i);
            case CLOB -> readClob(rs, i, budgetBytes);
            case VARBINARY -> rs.getBytes(i);
            case BLOB -> readBlob(rs, i, budgetBytes);
            case JSON -> rs.getBytes(i); // the JSON text in UTF-8
            case DATE -> rs.getObject(i, LocalDate.class);
            case TIME -> rs.getObject(i, LocalTime.class);
            case TIME_WITH_TIME_ZONE -> rs.getObject(i, OffsetTime.class);
            case TIMESTAMP -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMP_WITH_TIME_ZONE -> rs.getObject(i, OffsetDateTime.class);
            case UUID -> rs.getObject(i, UUID.class);
            case ARRAY -> readArray(rs.getArray(i), budgetBytes);
            case INTERVAL -> interval((Interval) rs.getObject(i)); // getObject(i, Interval.class) drops the sign (H2 2.5.252)
        };
        return o instanceof Double d && type == ValueType.DECIMAL ? Value.of(ValueType.DOUBLE, d) : Value.of(type, o);
    }

    /** A DECFLOAT NaN or infinity (BigDecimal has none): it travels as the DOUBLE of the same value. */
    private static Double notFiniteDecfloat(ResultSet rs, int i) throws SQLException {
        if (!"DECFLOAT".equals(rs.getMetaData().getColumnTypeName(i))) {
            return null;
        }
        String text = rs.getString(i);
        return text != null && (text.equals("NaN") || text.endsWith("Infinity")) ? Double.valueOf(text) : null;
    }

    /** An ARRAY's elements, each read as its element type says (nested arrays too); NULL elements stay NULL. */
    private static ArrayValue readArray(Array array, long budgetBytes) throws SQLException, ResultTooLargeException {
        if (array == null) {
            return null;
        }
        try (ResultSet elements = array.getResultSet()) { // columns INDEX, VALUE
            ResultSetMetaData md = elements.getMetaData();
            ValueType elementType = ColumnTypes.valueType(md.getColumnType(2), md.getColumnTypeName(2));
            List<Value> values = new ArrayList<>();
            long bytes = 0;
            while (elements.next()) {
                Value v = readValue(elements, 2, elementType, budgetBytes - bytes);
                bytes += EncodedSize.of(v);
                if (bytes > budgetBytes) {
                    throw new ResultTooLargeException();
                }
                values.add(v);
            }
            return new ArrayValue(array.getBaseType(), array.getBaseTypeName(), values);
        } finally {
            array.free();
        }
    }

    private static IntervalValue interval(Interval i) {
        return i == null ? null : new IntervalValue(IntervalValue.Qualifier.valueOf(i.getQualifier().name()),
                i.isNegative(), i.getLeading(), i.getRemaining());
    }

    private static String readClob(ResultSet rs, int i, long budgetBytes) throws SQLException, ResultTooLargeException {
        Clob clob = rs.getClob(i);
        if (clob == null) {
            return null;
        }
        try {
            long chars = clob.length();
            if (chars > budgetBytes) { // at least one byte per char in UTF-8
                throw new ResultTooLargeException();
            }
            return clob.getSubString(1, (int) Math.min(chars, Integer.MAX_VALUE));
        } finally {
            clob.free();
        }
    }

    private static byte[] readBlob(ResultSet rs, int i, long budgetBytes) throws SQLException, ResultTooLargeException {
        Blob blob = rs.getBlob(i);
        if (blob == null) {
            return null;
        }
        try {
            long length = blob.length();
            if (length > budgetBytes) {
                throw new ResultTooLargeException();
            }
            return blob.getBytes(1, (int) length);
        } finally {
            blob.free();
        }
    }
}
