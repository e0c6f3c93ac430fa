package org.lockstepdb.protocol.sql;

/** Line/column (1-based, UTF-16 units) of an offset; line breaks are \n, \r\n and \r, as in Calcite and H2. */
public final class SqlPositions {
    private SqlPositions() {
    }

    /** {@code "line L, column C"} of {@code offset} in {@code sql}. */
    public static String describe(String sql, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= sql.length() || sql.charAt(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (offset - lineStart + 1);
    }

    /** Offset of a 1-based (line, column), or -1. */
    public static int offset(String sql, int line, int column) {
        int l = 1;
        int i = 0;
        while (l < line && i < sql.length()) {
            char c = sql.charAt(i++);
            if (c == '\n' || (c == '\r' && (i >= sql.length() || sql.charAt(i) != '\n'))) {
                l++;
            }
        }
        int offset = i + column - 1;
        return l == line && offset <= sql.length() ? offset : -1;
    }
}
