package org.lockstepdb.protocol.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lockstepdb.protocol.sql.SqlToken.Kind;

/**
 * Splits one SQL text into tokens exactly as H2 2.5's {@code org.h2.command.Tokenizer} does in REGULAR mode:
 * {@code '…'} strings with {@code ''} escapes and whitespace-separated continuation, {@code N'…'}, {@code X'…'},
 * {@code U&'…'}, {@code $$…$$} strings, {@code "…"} and {@code `…`} quoted identifiers, {@code U&"…"}
 * identifiers (with {@code UESCAPE}), {@code --} and {@code //} line comments, <em>nested</em>
 * {@code /* … *}{@code /} comments, {@code ?}, {@code ?n} and {@code $n} parameters.
 *
 * <p>This is the one lexer of LockstepDB: the determinism guard takes every security decision on these tokens,
 * the {@link StatementClassifier} decides a statement's kind on them (driver routing, server, storage), the
 * driver counts parameters with {@link #parameterCount}, and the shell splits scripts on their {@code ;}. They
 * must be the tokens H2 will execute, so that no two readers disagree about one text.
 *
 * <p>Lexing never throws: the first problem is reported in {@link Lexed#error()}. An unexpected character
 * becomes a one-character PUNCT token and lexing goes on; an unterminated string, identifier or block comment
 * ends the token list ({@link LexError#unterminated()}). Stateless and thread-safe.
 */
public final class SqlLexer {
    /** The first lexical error: what, and where (offset of the token or character). */
    public record LexError(String message, int offset, boolean unterminated) { }

    /**
     * Tokens (in text order) and the {@code [start, end)} ranges of comments.
     *
     * @param error null if H2 would read the whole text; otherwise the first problem
     */
    public record Lexed(List<SqlToken> tokens, List<int[]> comments, LexError error) { }

    private final String sql;
    private final int end;
    private final List<SqlToken> tokens;
    private final List<int[]> comments = new ArrayList<>(0);
    /** Where the {@code U&'…'} strings start: their escapes are resolved like those of {@code U&"…"} names. */
    private final java.util.Set<Integer> unicodeStrings = new java.util.HashSet<>(0);
    private LexError error;

    private SqlLexer(String sql) {
        this.sql = sql;
        this.end = sql.length() - 1;
        this.tokens = new ArrayList<>(Math.min(Math.max(16, sql.length() / 4), 4096)); // a long literal is one token
    }

    /** Lexes {@code sql}; never throws (see {@link Lexed#error()}). */
    public static Lexed lex(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        try {
            lexer.run();
        } catch (Unterminated u) {
            lexer.fail(u.getMessage(), u.offset, true);
        }
        lexer.resolveUnicodeEscapes();
        return new Lexed(lexer.tokens, lexer.comments, lexer.error);
    }

    /**
     * How many parameters H2 gives the statement: the highest index if it uses indexed parameters
     * ({@code ?2}, {@code $2}), else the number of {@code ?}. (H2 refuses a text that mixes the two.)
     */
    public static int parameterCount(Lexed lexed) {
        int plain = 0;
        int highestIndex = 0;
        for (SqlToken t : lexed.tokens()) {
            if (t.kind() == Kind.PARAM) {
                if (t.name().length() > 1) {
                    highestIndex = Math.max(highestIndex, parseIndex(t.name()));
                } else {
                    plain++;
                }
            }
        }
        return highestIndex > 0 ? highestIndex + plain : plain;
    }

    private static int parseIndex(String param) {
        try {
            return Integer.parseInt(param.substring(1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE; // H2 refuses it; never a valid count
        }
    }

    /** Ends lexing at an unterminated construct. */
    private static final class Unterminated extends Exception {
        final int offset;

        Unterminated(String message, int offset) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }

    private void fail(String message, int offset, boolean unterminated) {
        if (error == null) {
            error = new LexError(message, offset, unterminated);
        }
    }

    private void run() throws Unterminated {
        int i = 0;
        while (i <= end) {
            char c = sql.charAt(i);
            switch (c) {
                case '"', '`' -> i = quotedIdentifier(i, i, c, false);
                case '\'' -> i = characterString(i, i);
                case '$' -> {
                    if (i < end && sql.charAt(i + 1) == '$') {
                        int close = sql.indexOf("$$", i + 2);
                        if (close < 0) {
                            throw new Unterminated("unterminated $$ string", i);
                        }
                        tokens.add(new SqlToken(Kind.STRING, i, close + 2, sql.substring(i + 2, close)));
                        i = close + 2;
                    } else {
                        i = parameter(i);
                    }
                }
                case '?' -> {
                    if (i + 2 <= end && sql.charAt(i + 1) == '?' && (sql.charAt(i + 2) == '(' || sql.charAt(i + 2) == ')')) {
                        tokens.add(new SqlToken(Kind.PUNCT, i, i + 3, sql.charAt(i + 2) == '(' ? "[" : "]"));
                        i += 3;
                    } else {
                        i = parameter(i);
                    }
                }
                case '-' -> i = next(i, '-') ? lineComment(i) : punct(i, 1);
                case '/' -> i = next(i, '*') ? blockComment(i, true) : next(i, '/') ? lineComment(i) : punct(i, 1);
                case '.' -> i = i < end && isDigit(sql.charAt(i + 1)) ? number(i) : punct(i, 1);
                case '!' -> i = next(i, '=') || next(i, '~') ? punct(i, 2) : unexpected(i);
                case '&' -> i = next(i, '&') ? punct(i, 2) : unexpected(i);
                case '|' -> i = next(i, '|') ? punct(i, 2) : unexpected(i);
                case ':' -> i = punct(i, next(i, ':') || next(i, '=') ? 2 : 1);
                case '<' -> i = punct(i, next(i, '=') || next(i, '>') ? 2 : 1);
                case '>' -> i = punct(i, next(i, '=') ? 2 : 1);
                case '%', '(', ')', '*', '+', ',', ';', '=', '@', '[', ']', '{', '}', '~' -> i = punct(i, 1);
                case '#' -> i = unexpected(i);
                case 'N', 'n', 'X', 'x' -> i = next(i, '\'') ? characterString(i, i + 1) : identifier(i);
                case 'U', 'u' -> {
                    if (i + 2 <= end && sql.charAt(i + 1) == '&' && sql.charAt(i + 2) == '"') {
                        i = quotedIdentifier(i, i + 2, '"', true);
                    } else if (i + 2 <= end && sql.charAt(i + 1) == '&' && sql.charAt(i + 2) == '\'') {
                        unicodeStrings.add(i);
                        i = characterString(i, i + 2);
                    } else {
                        i = identifier(i);
                    }
                }
                default -> i = other(i, c);
            }
        }
    }

    private int other(int i, char c) {
        if (isDigit(c)) {
            return number(i);
        }
        if (c <= ' ') {
            return i + 1;
        }
        int cp = sql.codePointAt(i);
        if (Character.isSpaceChar(cp)) {
            return i + Character.charCount(cp);
        }
        if (Character.isJavaIdentifierStart(cp)) {
            return identifier(i);
        }
        return unexpected(i);
    }

    private boolean next(int i, char c) {
        return i < end && sql.charAt(i + 1) == c;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** H2 refuses the character; it becomes a PUNCT token so that readers that go on see the rest. */
    private int unexpected(int i) {
        int cp = sql.codePointAt(i);
        fail("unexpected character '" + new String(Character.toChars(cp)) + "'", i, false);
        return punct(i, Character.charCount(cp));
    }

    private int punct(int i, int length) {
        tokens.add(new SqlToken(Kind.PUNCT, i, i + length, sql.substring(i, i + length)));
        return i + length;
    }

    private int identifier(int start) {
        int i = start + Character.charCount(sql.codePointAt(start));
        while (i < sql.length()) {
            int cp = sql.codePointAt(i);
            if (!Character.isJavaIdentifierPart(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        tokens.add(new SqlToken(Kind.IDENT, start, i, sql.substring(start, i).toUpperCase(Locale.ROOT)));
        return i;
    }

    /** A numeric literal ({@link NumericLiteral}: H2's token boundaries; H2's syntax errors refuse the text). */
    private int number(int start) {
        int i = NumericLiteral.end(sql, start, offset -> fail("malformed number", offset, false));
        tokens.add(new SqlToken(Kind.NUMBER, start, i, sql.substring(start, i).toUpperCase(Locale.ROOT)));
        return i;
    }

    private int parameter(int start) {
        int i = start + 1;
        while (i < sql.length() && isDigit(sql.charAt(i))) {
            i++;
        }
        tokens.add(new SqlToken(Kind.PARAM, start, i, sql.substring(start, i)));
        return i;
    }

    private int quotedIdentifier(int tokenStart, int quote, char q, boolean unicode) throws Unterminated {
        StringBuilder name = new StringBuilder();
        int i = quote + 1;
        for (;;) {
            int close = sql.indexOf(q, i);
            if (close < 0) {
                throw new Unterminated("unterminated quoted identifier", tokenStart);
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
        tokens.add(new SqlToken(Kind.QUOTED_IDENT, tokenStart, i, unicode ? UNICODE_MARK + n : n));
        return i;
    }

    /** {@code quote} is the index of the opening quote; continuation {@code 'a' 'b'} forms one token, as in H2. */
    private int characterString(int tokenStart, int quote) throws Unterminated {
        StringBuilder value = new StringBuilder();
        int i = quote;
        do {
            i++;
            for (;;) {
                int close = sql.indexOf('\'', i);
                if (close < 0) {
                    throw new Unterminated("unterminated string literal", tokenStart);
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
            int after = skipWhitespaceAndComments(i);
            if (after < sql.length() && sql.charAt(after) == '\'') {
                i = after;
            } else {
                break;
            }
        } while (true);
        tokens.add(new SqlToken(Kind.STRING, tokenStart, i, value.toString()));
        return i;
    }

    /** Between the parts of a continued string; comments seen here are not recorded (they lie inside the token). */
    private int skipWhitespaceAndComments(int i) throws Unterminated {
        while (i < sql.length()) {
            int cp = sql.codePointAt(i);
            if (Character.isWhitespace(cp)) {
                i += Character.charCount(cp);
            } else if (cp == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
                i = blockComment(i, false);
            } else if (cp == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '/') {
                i = lineCommentEnd(i);
            } else {
                break;
            }
        }
        return i;
    }

    private int lineComment(int start) {
        int i = lineCommentEnd(start);
        comments.add(new int[] {start, i});
        return i;
    }

    private int lineCommentEnd(int start) {
        int i = start + 2;
        while (i < sql.length() && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    /** Nested, like H2: {@code /* a /* b *}{@code / c *}{@code /} is one comment. */
    private int blockComment(int start, boolean record) throws Unterminated {
        int i = start + 2;
        int level = 1;
        while (level > 0) {
            if (i >= sql.length() - 1) {
                throw new Unterminated("unterminated comment", start);
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
        if (record) {
            comments.add(new int[] {start, i});
        }
        return i;
    }

    /** Marks a {@code U&"…"} identifier until its escapes are resolved (NUL cannot occur in a quoted name). */
    private static final String UNICODE_MARK = "\u0000U&";

    /**
     * Decodes {@code U&"…"} identifiers and {@code U&'…'} strings ({@code \XXXX}, {@code \+XXXXXX}), each with an
     * optional {@code UESCAPE 'c'} that becomes part of its token, as H2's {@code Tokenizer.processUescape} does;
     * a {@code UESCAPE} without a valid escape character is refused, as H2 refuses it.
     */
    private void resolveUnicodeEscapes() {
        for (int t = 0; t < tokens.size(); t++) {
            SqlToken token = tokens.get(t);
            boolean identifier = token.kind() == Kind.QUOTED_IDENT && token.name().startsWith(UNICODE_MARK);
            if (!identifier && !(token.kind() == Kind.STRING && unicodeStrings.contains(token.start()))) {
                continue;
            }
            int at = t;
            char escape = '\\';
            int tokenEnd = token.end();
            if (t + 1 < tokens.size() && !isUescapeKeyword(tokens.get(t + 1))) {
                // H2 reads the next token to look for UESCAPE and goes on after it: a U& token right after this
                // one keeps its escapes and its UESCAPE unread (e.g. U&"a"U&'!0041' UESCAPE '!' is four tokens)
                t++;
                SqlToken next = tokens.get(t);
                if (next.kind() == Kind.QUOTED_IDENT && next.name().startsWith(UNICODE_MARK)) {
                    tokens.set(t, new SqlToken(next.kind(), next.start(), next.end(),
                            next.name().substring(UNICODE_MARK.length())));
                }
            } else if (t + 1 < tokens.size()) {
                SqlToken escapeString = t + 2 < tokens.size() ? tokens.get(t + 2) : null;
                if (escapeString == null || !isUescapeCharacter(escapeString)) {
                    fail("invalid UESCAPE", tokens.get(t + 1).start(), false);
                    continue;
                }
                escape = escapeString.name().charAt(0);
                tokenEnd = escapeString.end(); // one token: U&"…" UESCAPE 'c'
                tokens.remove(t + 2);
                tokens.remove(t + 1);
            }
            String raw = identifier ? token.name().substring(UNICODE_MARK.length()) : token.name();
            String decoded = decode(raw, escape);
            if (decoded == null) {
                fail("invalid Unicode escape in " + (identifier ? "identifier" : "string"), token.start(), false);
                decoded = raw;
            }
            tokens.set(at, new SqlToken(token.kind(), token.start(), tokenEnd, decoded));
        }
    }

    /**
     * Whether the token is the keyword {@code UESCAPE} as H2 matches keywords: ASCII letters in any case only
     * ({@code Tokenizer.eq} compares {@code c & 0xffdf}), so {@code ueſcape} (a long s, which Java upper-cases to
     * S) is an identifier to H2 and must be one here.
     */
    private boolean isUescapeKeyword(SqlToken token) {
        String keyword = "UESCAPE";
        if (token.kind() != Kind.IDENT || token.end() - token.start() != keyword.length()) {
            return false;
        }
        for (int i = 0; i < keyword.length(); i++) {
            if ((sql.charAt(token.start() + i) & 0xffdf) != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** H2's rule: one character, not white space, a hex digit, a quote or {@code +}. */
    private static boolean isUescapeCharacter(SqlToken string) {
        String s = string.name();
        if (string.kind() != Kind.STRING || s.codePointCount(0, s.length()) != 1) {
            return false;
        }
        int c = s.codePointAt(0);
        boolean hexDigit = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
        // (a supplementary character, which H2 would take, is refused: the decoder works on chars)
        return c <= 0xFFFF && !Character.isWhitespace(c) && !hexDigit && c != '"' && c != '\'' && c != '+';
    }

    /** The identifier with its escapes resolved, or null if one is invalid. */
    private static String decode(String raw, char escape) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != escape) {
                out.append(c);
            } else if (i + 1 < raw.length() && raw.charAt(i + 1) == escape) {
                out.append(escape);
                i++;
            } else if (i + 1 < raw.length() && raw.charAt(i + 1) == '+' && i + 8 <= raw.length()) {
                int cp = hex(raw.substring(i + 2, i + 8));
                if (cp < 0 || !Character.isValidCodePoint(cp)) {
                    return null;
                }
                out.appendCodePoint(cp);
                i += 7;
            } else if (i + 5 <= raw.length()) {
                int ch = hex(raw.substring(i + 1, i + 5));
                if (ch < 0) {
                    return null;
                }
                out.append((char) ch);
                i += 4;
            } else {
                return null;
            }
        }
        return out.toString();
    }

    private static int hex(String digits) {
        try {
            return Integer.parseInt(digits, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
