package org.lockstepdb.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits one SQL text into tokens exactly as H2 2.5's {@code org.h2.command.Tokenizer} does in REGULAR mode
 * (checked against its source): {@code '…'} strings with {@code ''} escapes and whitespace-separated
 * continuation, {@code N'…'}, {@code X'…'}, {@code U&'…'}, {@code $$…$$} strings, {@code "…"} and
 * {@code `…`} quoted identifiers, {@code U&"…"} identifiers (with {@code UESCAPE}), {@code --} and
 * {@code //} line comments, <em>nested</em> {@code /* … *}{@code /} comments, {@code ?}, {@code ?n} and
 * {@code $n} parameters.
 *
 * <p>Why our own lexer and not Calcite's: every security decision of the guard is taken on these tokens, so
 * they must be the tokens H2 will execute. Calcite's lexer differs from H2's on nested comments and
 * {@code $$} strings, which would let {@code $$ ' $$, FILE_READ('x') -- '} hide a call from a Calcite-based
 * scan. Calcite is still used as a second, structural opinion (see {@link CalciteCheck}), on a copy of the
 * text whose comments are blanked so that both see the same code at the same offsets.
 */
final class H2Lexer {
    enum Kind { IDENT, QUOTED_IDENT, STRING, NUMBER, PARAM, PUNCT }

    /** One token; {@code name} is the upper-cased identifier (unquoted) or the exact identifier (quoted). */
    record Token(Kind kind, int start, int end, String name) {
        boolean is(String punctOrWord) {
            return (kind == Kind.PUNCT || kind == Kind.IDENT) && name.equals(punctOrWord);
        }

        boolean isIdentifier() {
            return kind == Kind.IDENT || kind == Kind.QUOTED_IDENT;
        }

        /** Upper-cased name for function look-ups: H2 upper-cases quoted function names too. */
        String upperName() {
            return kind == Kind.QUOTED_IDENT ? name.toUpperCase(Locale.ROOT) : name;
        }
    }

    /** Tokens and the ranges of comments (blanked for Calcite). */
    record Lexed(List<Token> tokens, List<int[]> comments) { }

    static final class LexException extends Exception {
        final int offset;

        LexException(String message, int offset) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }

    private H2Lexer() {
    }

    static Lexed lex(String sql) throws LexException {
        List<Token> tokens = new ArrayList<>(Math.max(16, sql.length() / 4));
        List<int[]> comments = new ArrayList<>(0);
        int end = sql.length() - 1;
        int i = 0;
        while (i <= end) {
            char c = sql.charAt(i);
            switch (c) {
                case '"', '`' -> i = quotedIdentifier(sql, i, i, c, false, tokens);
                case '\'' -> i = characterString(sql, i, i, tokens);
                case '$' -> {
                    if (i < end && sql.charAt(i + 1) == '$') {
                        int close = sql.indexOf("$$", i + 2);
                        if (close < 0) {
                            throw new LexException("unterminated $$ string", i);
                        }
                        tokens.add(new Token(Kind.STRING, i, close + 2, sql.substring(i + 2, close)));
                        i = close + 2;
                    } else {
                        i = parameter(sql, i, tokens);
                    }
                }
                case '?' -> {
                    if (i + 2 <= end && sql.charAt(i + 1) == '?' && (sql.charAt(i + 2) == '(' || sql.charAt(i + 2) == ')')) {
                        tokens.add(new Token(Kind.PUNCT, i, i + 3, sql.charAt(i + 2) == '(' ? "[" : "]"));
                        i += 3;
                    } else {
                        i = parameter(sql, i, tokens);
                    }
                }
                case '-' -> {
                    if (i < end && sql.charAt(i + 1) == '-') {
                        i = lineComment(sql, i, comments);
                    } else {
                        i = punct(sql, i, 1, tokens);
                    }
                }
                case '/' -> {
                    if (i < end && sql.charAt(i + 1) == '*') {
                        i = blockComment(sql, i, comments);
                    } else if (i < end && sql.charAt(i + 1) == '/') {
                        i = lineComment(sql, i, comments);
                    } else {
                        i = punct(sql, i, 1, tokens);
                    }
                }
                case '.' -> {
                    if (i < end && isDigit(sql.charAt(i + 1))) {
                        i = number(sql, i, tokens);
                    } else {
                        i = punct(sql, i, 1, tokens);
                    }
                }
                case '!' -> {
                    if (i < end && (sql.charAt(i + 1) == '=' || sql.charAt(i + 1) == '~')) {
                        i = punct(sql, i, 2, tokens);
                    } else {
                        throw new LexException("unexpected character '!'", i);
                    }
                }
                case '&' -> {
                    if (i < end && sql.charAt(i + 1) == '&') {
                        i = punct(sql, i, 2, tokens);
                    } else {
                        throw new LexException("unexpected character '&'", i);
                    }
                }
                case '|' -> {
                    if (i < end && sql.charAt(i + 1) == '|') {
                        i = punct(sql, i, 2, tokens);
                    } else {
                        throw new LexException("unexpected character '|'", i);
                    }
                }
                case ':' -> i = punct(sql, i, i < end && (sql.charAt(i + 1) == ':' || sql.charAt(i + 1) == '=') ? 2 : 1, tokens);
                case '<' -> i = punct(sql, i, i < end && (sql.charAt(i + 1) == '=' || sql.charAt(i + 1) == '>') ? 2 : 1, tokens);
                case '>' -> i = punct(sql, i, i < end && sql.charAt(i + 1) == '=' ? 2 : 1, tokens);
                case '%', '(', ')', '*', '+', ',', ';', '=', '@', '[', ']', '{', '}', '~' -> i = punct(sql, i, 1, tokens);
                case '#' -> throw new LexException("unexpected character '#'", i);
                case 'N', 'n', 'X', 'x' -> {
                    if (i < end && sql.charAt(i + 1) == '\'') {
                        i = characterString(sql, i, i + 1, tokens);
                    } else {
                        i = identifier(sql, i, tokens);
                    }
                }
                case 'U', 'u' -> {
                    if (i + 2 <= end && sql.charAt(i + 1) == '&' && sql.charAt(i + 2) == '"') {
                        i = quotedIdentifier(sql, i, i + 2, '"', true, tokens);
                    } else if (i + 2 <= end && sql.charAt(i + 1) == '&' && sql.charAt(i + 2) == '\'') {
                        i = characterString(sql, i, i + 2, tokens);
                    } else {
                        i = identifier(sql, i, tokens);
                    }
                }
                default -> {
                    if (isDigit(c)) {
                        i = number(sql, i, tokens);
                    } else if (c <= ' ') {
                        i++;
                    } else {
                        int cp = sql.codePointAt(i);
                        if (Character.isSpaceChar(cp)) {
                            i += Character.charCount(cp);
                        } else if (Character.isJavaIdentifierStart(cp)) {
                            i = identifier(sql, i, tokens);
                        } else {
                            throw new LexException("unexpected character '" + new String(Character.toChars(cp)) + "'", i);
                        }
                    }
                }
            }
        }
        resolveUnicodeEscapes(tokens, sql);
        return new Lexed(tokens, comments);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int punct(String sql, int i, int length, List<Token> tokens) {
        tokens.add(new Token(Kind.PUNCT, i, i + length, sql.substring(i, i + length)));
        return i + length;
    }

    private static int identifier(String sql, int start, List<Token> tokens) {
        int i = start + Character.charCount(sql.codePointAt(start));
        while (i < sql.length()) {
            int cp = sql.codePointAt(i);
            if (!Character.isJavaIdentifierPart(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        tokens.add(new Token(Kind.IDENT, start, i, sql.substring(start, i).toUpperCase(Locale.ROOT)));
        return i;
    }

    /** H2 reads digits, letters and dots greedily into one numeric token (errors are H2's business). */
    private static int number(String sql, int start, List<Token> tokens) {
        int i = start;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            boolean sign = (c == '+' || c == '-') && i > start && (sql.charAt(i - 1) == 'e' || sql.charAt(i - 1) == 'E')
                    && !sql.regionMatches(true, start, "0x", 0, 2);
            if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || sign) {
                i++;
            } else {
                break;
            }
        }
        tokens.add(new Token(Kind.NUMBER, start, i, sql.substring(start, i).toUpperCase(Locale.ROOT)));
        return i;
    }

    private static int parameter(String sql, int start, List<Token> tokens) {
        int i = start + 1;
        while (i < sql.length() && isDigit(sql.charAt(i))) {
            i++;
        }
        tokens.add(new Token(Kind.PARAM, start, i, sql.substring(start, i)));
        return i;
    }

    private static int quotedIdentifier(String sql, int tokenStart, int quote, char q, boolean unicode,
            List<Token> tokens) throws LexException {
        StringBuilder name = new StringBuilder();
        int i = quote + 1;
        for (;;) {
            int close = sql.indexOf(q, i);
            if (close < 0) {
                throw new LexException("unterminated quoted identifier", tokenStart);
            }
            name.append(sql, i, close);
            i = close + 1;
            if (i < sql.length() && sql.charAt(i) == q) {
                name.append(q);
                i++;
            } else {
                break;
            }
        }
        String n = q == '`' ? name.toString().toUpperCase(Locale.ROOT) : name.toString();
        tokens.add(new Token(Kind.QUOTED_IDENT, tokenStart, i, unicode ? "\u0000U&" + n : n));
        return i;
    }

    /** {@code quote} is the index of the opening quote; continuation {@code 'a' 'b'} forms one token, as in H2. */
    private static int characterString(String sql, int tokenStart, int quote, List<Token> tokens) throws LexException {
        StringBuilder value = new StringBuilder();
        int i = quote;
        do {
            i++;
            for (;;) {
                int close = sql.indexOf('\'', i);
                if (close < 0) {
                    throw new LexException("unterminated string literal", tokenStart);
                }
                value.append(sql, i, close);
                i = close + 1;
                if (i < sql.length() && sql.charAt(i) == '\'') {
                    value.append('\'');
                    i++;
                } else {
                    break;
                }
            }
            int after = skipWhitespaceAndComments(sql, i);
            if (after < sql.length() && sql.charAt(after) == '\'') {
                i = after;
            } else {
                break;
            }
        } while (true);
        tokens.add(new Token(Kind.STRING, tokenStart, i, value.toString()));
        return i;
    }

    private static int skipWhitespaceAndComments(String sql, int i) throws LexException {
        while (i < sql.length()) {
            int cp = sql.codePointAt(i);
            if (Character.isWhitespace(cp)) {
                i += Character.charCount(cp);
            } else if (cp == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                i = blockComment(sql, i, null);
            } else if (cp == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '/') {
                i = lineComment(sql, i, null);
            } else {
                break;
            }
        }
        return i;
    }

    private static int lineComment(String sql, int start, List<int[]> comments) {
        int i = start + 2;
        while (i < sql.length() && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
            i++;
        }
        if (comments != null) {
            comments.add(new int[] {start, i});
        }
        return i;
    }

    /** Nested, like H2: {@code /* a /* b *}{@code / c *}{@code /} is one comment. */
    private static int blockComment(String sql, int start, List<int[]> comments) throws LexException {
        int i = start + 2;
        int level = 1;
        while (level > 0) {
            if (i >= sql.length() - 1) {
                throw new LexException("unterminated comment", start);
            }
            char c = sql.charAt(i++);
            if (c == '*' && sql.charAt(i) == '/') {
                level--;
                i++;
            } else if (c == '/' && sql.charAt(i) == '*') {
                level++;
                i++;
            }
        }
        if (comments != null) {
            comments.add(new int[] {start, i});
        }
        return i;
    }

    /** Decodes {@code U&"…"} identifiers ({@code \XXXX}, {@code \+XXXXXX}, optional {@code UESCAPE 'c'}). */
    private static void resolveUnicodeEscapes(List<Token> tokens, String sql) throws LexException {
        for (int t = 0; t < tokens.size(); t++) {
            Token token = tokens.get(t);
            if (token.kind() != Kind.QUOTED_IDENT || !token.name().startsWith("\u0000U&")) {
                continue;
            }
            char escape = '\\';
            if (t + 2 < tokens.size() && tokens.get(t + 1).is("UESCAPE") && tokens.get(t + 2).kind() == Kind.STRING
                    && tokens.get(t + 2).name().length() == 1) {
                escape = tokens.get(t + 2).name().charAt(0);
                tokens.remove(t + 2);
                tokens.remove(t + 1);
            }
            String raw = token.name().substring(3);
            StringBuilder out = new StringBuilder(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c != escape) {
                    out.append(c);
                } else if (i + 1 < raw.length() && raw.charAt(i + 1) == escape) {
                    out.append(escape);
                    i++;
                } else if (i + 1 < raw.length() && raw.charAt(i + 1) == '+' && i + 8 <= raw.length()) {
                    out.appendCodePoint(hex(raw.substring(i + 2, i + 8), token.start(), sql));
                    i += 7;
                } else if (i + 5 <= raw.length()) {
                    out.append((char) hex(raw.substring(i + 1, i + 5), token.start(), sql));
                    i += 4;
                } else {
                    throw new LexException("invalid Unicode escape in identifier", token.start());
                }
            }
            tokens.set(t, new Token(Kind.QUOTED_IDENT, token.start(), token.end(), out.toString()));
        }
    }

    private static int hex(String digits, int offset, String sql) throws LexException {
        try {
            return Integer.parseInt(digits, 16);
        } catch (NumberFormatException e) {
            throw new LexException("invalid Unicode escape in identifier", offset);
        }
    }
}
