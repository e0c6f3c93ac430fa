package org.lockstepdb.shell;

import java.io.PrintWriter;
import java.sql.Blob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.jline.utils.WCWidth;

/**
 * Prints query results as an aligned text table:
 *
 * <pre>
 *  ID | NAME
 * ----+-------
 *   1 | alice
 *   2 | NULL
 * (2 rows)
 * </pre>
 *
 * NULL is shown as {@code NULL}, binary values as {@code X'0A1B'}, control characters are escaped
 * ({@code \n}, {@code \t}), numeric columns are right-aligned, and values wider than the maximum width are cut
 * and end in {@code …}. Rows are buffered to compute column widths.
 */
public final class ResultPrinter {

    public static final int DEFAULT_MAX_WIDTH = 60;
    public static final String NULL_TEXT = "NULL";
    private static final char ELLIPSIS = '\u2026';

    private final PrintWriter out;
    private final int maxWidth;

    public ResultPrinter(PrintWriter out) {
        this(out, DEFAULT_MAX_WIDTH);
    }

    public ResultPrinter(PrintWriter out, int maxWidth) {
        if (maxWidth < 2) {
            throw new IllegalArgumentException("maxWidth must be at least 2: " + maxWidth);
        }
        this.out = out;
        this.maxWidth = maxWidth;
    }

    /** Prints every row of {@code rs} as a table followed by {@code (N rows)}; returns the row count. */
    public long print(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int columns = md.getColumnCount();
        List<String> headers = new ArrayList<>(columns);
        int[] types = new int[columns];
        boolean[] rightAlign = new boolean[columns];
        for (int i = 0; i < columns; i++) {
            headers.add(md.getColumnLabel(i + 1));
            types[i] = md.getColumnType(i + 1);
            rightAlign[i] = isNumeric(types[i]);
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
            List<String> row = new ArrayList<>(columns);
            for (int i = 0; i < columns; i++) {
                row.add(valueText(rs, i + 1, types[i]));
            }
            rows.add(row);
        }
        printTable(headers, rows, rightAlign);
        return rows.size();
    }

    /** Prints an in-memory table (null cells print as {@code NULL}) followed by {@code (N rows)}. */
    public void printTable(List<String> headers, List<List<String>> rows) {
        printTable(headers, rows, new boolean[headers.size()]);
    }

    /** As {@link #printTable(List, List)}, right-aligning the columns flagged in {@code rightAlign}. */
    public void printTable(List<String> headers, List<List<String>> rows, boolean[] rightAlign) {
        int columns = headers.size();
        List<String> headerCells = new ArrayList<>(columns);
        int[] widths = new int[columns];
        for (int i = 0; i < columns; i++) {
            String h = cell(headers.get(i));
            headerCells.add(h);
            widths[i] = displayWidth(h);
        }
        List<List<String>> cellRows = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>(columns);
            for (int i = 0; i < columns; i++) {
                String c = cell(i < row.size() ? row.get(i) : null);
                cells.add(c);
                widths[i] = Math.max(widths[i], displayWidth(c));
            }
            cellRows.add(cells);
        }
        out.println(line(headerCells, widths, new boolean[columns]));
        StringBuilder sep = new StringBuilder();
        for (int i = 0; i < columns; i++) {
            if (i > 0) {
                sep.append('+');
            }
            sep.append("-".repeat(widths[i] + 2));
        }
        out.println(sep);
        for (List<String> cells : cellRows) {
            out.println(line(cells, widths, rightAlign));
        }
        out.println(rowCount(rows.size()));
        out.flush();
    }

    /** {@code (1 row)}, {@code (N rows)}. */
    public static String rowCount(long n) {
        return "(" + n + (n == 1 ? " row)" : " rows)");
    }

    /** Formats bytes as an SQL binary literal, {@code X'CAFE'}. */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2 + 3).append("X'");
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.append('\'').toString().toUpperCase(java.util.Locale.ROOT);
    }

    /** The display text of one value: {@code NULL}, control characters escaped, cut to the maximum width. */
    String cell(String raw) {
        if (raw == null) {
            return NULL_TEXT;
        }
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), maxWidth + 8));
        int width = 0;
        boolean cut = false;
        for (int i = 0; i < raw.length(); ) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            String piece = escape(cp);
            int w = piece == null ? Math.max(0, WCWidth.wcwidth(cp)) : piece.length();
            if (width + w > maxWidth) {
                cut = true;
                break;
            }
            if (piece == null) {
                sb.appendCodePoint(cp);
            } else {
                sb.append(piece);
            }
            width += w;
        }
        if (!cut) {
            return sb.toString();
        }
        while (width > maxWidth - 1) { // make room for the ellipsis
            int last = sb.codePointBefore(sb.length());
            sb.setLength(sb.length() - Character.charCount(last));
            width -= Math.max(0, WCWidth.wcwidth(last));
        }
        return sb.append(ELLIPSIS).toString();
    }

    private static String escape(int cp) {
        switch (cp) {
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            default:
                return Character.isISOControl(cp) ? String.format("\\u%04x", cp) : null;
        }
    }

    static int displayWidth(String s) {
        int width = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            width += Math.max(0, WCWidth.wcwidth(cp));
        }
        return width;
    }

    private static String line(List<String> cells, int[] widths, boolean[] rightAlign) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append('|');
            }
            String c = cells.get(i);
            String pad = " ".repeat(widths[i] - displayWidth(c));
            sb.append(' ');
            if (rightAlign[i]) {
                sb.append(pad).append(c);
            } else {
                sb.append(c).append(pad);
            }
            sb.append(' ');
        }
        return stripTrailing(sb);
    }

    private static String stripTrailing(CharSequence s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.subSequence(0, end).toString();
    }

    private String valueText(ResultSet rs, int column, int type) throws SQLException {
        if (isBinary(type)) {
            byte[] bytes = rs.getBytes(column);
            return bytes == null ? null : hex(limit(bytes));
        }
        Object value = rs.getObject(column);
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return hex(limit(bytes));
        }
        if (value instanceof Blob blob) {
            long length = blob.length();
            return hex(blob.getBytes(1, (int) Math.min(length, maxWidth)));
        }
        String text = rs.getString(column);
        return text != null ? text : value.toString();
    }

    /** Only the first bytes of a long value can be shown; keeps the hex text short. */
    private byte[] limit(byte[] bytes) {
        return bytes.length <= maxWidth ? bytes : java.util.Arrays.copyOf(bytes, maxWidth);
    }

    static boolean isBinary(int type) {
        return type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB;
    }

    static boolean isNumeric(int type) {
        switch (type) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT,
                    Types.DOUBLE, Types.NUMERIC, Types.DECIMAL:
                return true;
            default:
                return false;
        }
    }
}
