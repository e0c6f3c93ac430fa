package org.lockstepdb.storage;

import java.util.Locale;

/** The code part of a statement text, for the checks {@link WriteGuard} makes on every replica. */
final class SqlText {
    private SqlText() {
    }

    /**
     * The text in upper case with the contents of string literals ('...', with '' escapes, and H2's $$...$$)
     * replaced by one space each, so that values a user stores never look like keywords or names.
     */
    static String code(String sql) {
        StringBuilder out = new StringBuilder(sql.length());
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
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
        return out.toString().toUpperCase(Locale.ROOT);
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
