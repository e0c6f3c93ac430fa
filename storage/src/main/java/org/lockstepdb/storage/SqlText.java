package org.lockstepdb.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.lockstepdb.protocol.sql.SqlLexer;
import org.lockstepdb.protocol.sql.SqlToken;
import org.lockstepdb.protocol.StatementLimits;

/** The code part of a statement text, for the checks {@link WriteGuard} makes on every replica. */
final class SqlText {
    private SqlText() {
    }

    /**
     * The text in upper case with string literals (every kind H2 reads: '...', N'...', X'...', U&'...', $$...$$)
     * and comments ({@code --} and {@code //} to the end of the line, nesting block comments) replaced by one
     * space each, so that values a user stores and remarks never look like keywords, names or structure. The
     * parts are those of H2's tokenizer ({@link SqlLexer}); an unterminated string or comment runs to the end.
     *
     * @param lexed {@code sql} as {@link SqlLexer#lex} returns it
     */
    static String code(String sql, SqlLexer.Lexed lexed) {
        return codeKeepingCase(sql, lexed).toUpperCase(Locale.ROOT);
    }

    /** As {@link #code(String, SqlLexer.Lexed)}, lexing {@code sql} itself. */
    static String codeKeepingCase(String sql) {
        return codeKeepingCase(sql, SqlLexer.lex(sql));
    }

    /** As {@link #code(String, SqlLexer.Lexed)}, in the statement's own letter case (quoted identifiers keep theirs). */
    static String codeKeepingCase(String sql, SqlLexer.Lexed lexed) {
        List<int[]> blanks = new ArrayList<>(lexed.comments());
        for (SqlToken t : lexed.tokens()) {
            if (t.kind() == SqlToken.Kind.STRING) {
                blanks.add(new int[] {t.start(), t.end()});
            }
        }
        SqlLexer.LexError error = lexed.error();
        if (error != null && error.unterminated()) {
            blanks.add(new int[] {error.offset(), sql.length()});
        }
        blanks.sort(Comparator.comparingInt(r -> r[0]));
        StringBuilder out = new StringBuilder(sql.length());
        int at = 0;
        for (int[] blank : blanks) {
            if (blank[0] < at) {
                continue; // a comment inside a continued string ('a' /* c */ 'b') is blanked with it
            }
            out.append(sql, at, blank[0]).append(' ');
            at = blank[1];
        }
        return out.append(sql, at, sql.length()).toString();
    }

    /**
     * Why the statement is over {@link StatementLimits} (nesting depth, operators per level), or null. Counts
     * a run of operator characters as one operator, so it never counts more than the leader's guard does.
     *
     * @param code the statement as {@link #code(String, SqlLexer.Lexed)} returns it
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
    /** Words H2 nests recursively, counted like operators (upper case: {@link #overLimits} reads {@link #code(String, SqlLexer.Lexed)}). */
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
