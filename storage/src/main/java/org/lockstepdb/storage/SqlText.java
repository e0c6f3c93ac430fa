package org.lockstepdb.storage;

import java.util.Locale;
import org.lockstepdb.protocol.SqlKind;
import org.lockstepdb.protocol.StatementLimits;

/** The code part of a statement text, for the checks {@link WriteGuard} makes on every replica. */
final class SqlText {
    private SqlText() {
    }

    /**
     * The text in upper case with string literals ('...', with '' escapes, and H2's $$...$$) and comments
     * ({@code --} and {@code //} to the end of the line, nesting block comments) replaced by one space each, so
     * that values a user stores and remarks never look like keywords, names or structure.
     */
    static String code(String sql) {
        return codeKeepingCase(sql).toUpperCase(Locale.ROOT);
    }

    /** As {@link #code}, in the statement's own letter case (quoted identifiers keep theirs). */
    static String codeKeepingCase(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (sql.startsWith("--", i) || sql.startsWith("//", i)) {
                int end = sql.indexOf('\n', i);
                out.append(' ');
                i = end < 0 ? n : end;
            } else if (sql.startsWith("/*", i)) {
                out.append(' ');
                i = SqlKind.endOfBlockComment(sql, i);
            } else if (c == '\'') {
                int end = i + 1;
                while (end < n && !(sql.charAt(end) == '\'' && (end + 1 >= n || sql.charAt(end + 1) != '\''))) {
                    end += sql.charAt(end) == '\'' ? 2 : 1; // '' is an escaped quote inside the literal
                }
                out.append(' ');
                i = end + 1;
            } else if (sql.startsWith("$$", i)) {
                int end = sql.indexOf("$$", i + 2);
                out.append(' ');
                i = end < 0 ? n : end + 2;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * Why the statement is over {@link StatementLimits} (nesting depth, operators per level), or null. Counts
     * a run of operator characters as one operator, so it never counts more than the leader's guard does.
     *
     * @param code the statement as {@link #code} returns it
     */
    static String overLimits(String code) {
        int[] operatorsAtDepth = new int[StatementLimits.MAX_NESTING_DEPTH + 2];
        int depth = 0;
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (c == '"') { // a quoted identifier: its characters are a name
                int end = code.indexOf('"', i + 1);
                while (end >= 0 && end + 1 < n && code.charAt(end + 1) == '"') {
                    end = code.indexOf('"', end + 2);
                }
                i = end < 0 ? n : end + 1;
                continue;
            }
            int operatorEnd = i;
            while (operatorEnd < n && OPERATOR_CHARS.indexOf(code.charAt(operatorEnd)) >= 0) {
                operatorEnd++;
            }
            boolean nestingWord = false;
            if (isNamePart(c) && (i == 0 || !isNamePart(code.charAt(i - 1)))) {
                for (String w : NESTING_WORDS) {
                    nestingWord |= wordAt(code, i, w);
                }
            }
            if ((operatorEnd > i || nestingWord) && ++operatorsAtDepth[depth] > StatementLimits.MAX_OPERATOR_CHAIN) {
                return "more than " + StatementLimits.MAX_OPERATOR_CHAIN + " operators in one expression level";
            }
            if ((c == '(' || c == '[') && ++depth > StatementLimits.MAX_NESTING_DEPTH) {
                return "parentheses or brackets nested more than " + StatementLimits.MAX_NESTING_DEPTH + " deep";
            }
            if ((c == ')' || c == ']') && depth > 0) {
                operatorsAtDepth[depth--] = 0;
            }
            i = Math.max(i + 1, operatorEnd);
        }
        return null;
    }

    private static final String OPERATOR_CHARS = "+-*/%|=<>!&:";
    /** Words H2 nests recursively, counted like operators (upper case: {@link #overLimits} reads {@link #code}). */
    private static final java.util.List<String> NESTING_WORDS = java.util.List.of("AND", "OR", "NOT", "CASE");

    private static boolean wordAt(String code, int at, String word) {
        int end = at + word.length();
        return code.startsWith(word, at) && (end >= code.length() || !isNamePart(code.charAt(end)));
    }

    /** Whether {@code word} (upper case) occurs in {@code code} as a whole word (not part of a longer name). */
    static boolean containsWord(String code, String word) {
        for (int at = code.indexOf(word); at >= 0; at = code.indexOf(word, at + 1)) {
            boolean startsWord = at == 0 || !isNamePart(code.charAt(at - 1));
            int end = at + word.length();
            boolean endsWord = end == code.length() || !isNamePart(code.charAt(end));
            if (startsWord && endsWord) {
                return true;
            }
        }
        return false;
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
