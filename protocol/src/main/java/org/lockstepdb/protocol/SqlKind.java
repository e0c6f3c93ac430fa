package org.lockstepdb.protocol;

import java.util.Locale;
import java.util.Set;

/**
 * The coarse kind of an SQL statement, decided by its first keyword (after comments and parentheses). The
 * driver uses it to route queries away from the log; the server uses it to keep DDL, which H2 commits at once,
 * out of multi-statement entries that must be atomic.
 */
public enum SqlKind {
    QUERY, DML, DDL, OTHER;

    private static final Set<String> QUERY_WORDS = Set.of("SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN");
    private static final Set<String> DML_WORDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE");
    private static final Set<String> DDL_WORDS = Set.of("CREATE", "ALTER", "DROP", "TRUNCATE", "COMMENT",
            "GRANT", "REVOKE", "ANALYZE");

    public static SqlKind of(String sql) {
        String word = firstKeyword(sql);
        if (QUERY_WORDS.contains(word)) {
            return QUERY;
        }
        if (DML_WORDS.contains(word)) {
            return DML;
        }
        if (DDL_WORDS.contains(word)) {
            return DDL;
        }
        return OTHER;
    }

    /**
     * The first keyword in upper case, skipping whitespace, '(' and comments as H2 reads them ({@code --} and
     * {@code //} to the end of the line, block comments, which nest); "" if none.
     */
    public static String firstKeyword(String sql) {
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i) || sql.startsWith("//", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (sql.startsWith("/*", i)) {
                i = endOfBlockComment(sql, i);
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(Locale.ROOT);
    }

    /** Index after the block comment starting at {@code start}; H2 nests them ({@code /* /* *\/ *\/}). */
    public static int endOfBlockComment(String sql, int start) {
        int depth = 0;
        int i = start;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }
}
