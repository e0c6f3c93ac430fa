package org.lockstepdb.protocol.sql;

/**
 * Where a numeric literal ends, read as H2 2.5.252's {@code Tokenizer} reads it (for {@link SqlLexer}). Token
 * boundaries must be H2's exactly: a literal read longer or shorter than H2 reads it would hide the text after
 * it from every check (see {@code LexerVersusH2TokenizerTest}).
 */
final class NumericLiteral {
    /** Told where a literal starts that H2 refuses (a syntax error in H2). */
    interface Malformed {
        void at(int literalStart);
    }

    private final String sql;
    private final int end;
    private final Malformed malformed;

    private NumericLiteral(String sql, Malformed malformed) {
        this.sql = sql;
        this.end = sql.length() - 1;
        this.malformed = malformed;
    }

    /**
     * The index just after the numeric literal that starts at {@code start} (a digit, or a '.' before a digit),
     * with H2 2.5's token boundaries ({@code Tokenizer.readNumeric}, {@code readFloat},
     * {@code readApproximateNumeric}, {@code readIntegerNumber}, {@code finishBigInteger}): digits with single
     * {@code _} between them, an optional fraction and exponent, an {@code L} suffix; {@code 0x}/{@code 0b}/
     * {@code 0o} integers. The literal ends at the first character that cannot continue it, so {@code 1.5b} is
     * the number {@code 1.5} followed by the identifier {@code b}, as in H2. Where H2 raises a syntax error, the
     * text is refused ({@link Malformed}).
     */
    static int end(String sql, int start, Malformed malformed) {
        return new NumericLiteral(sql, malformed).read(start);
    }

    private int read(int start) {
        int i;
        if (sql.charAt(start) == '.') {
            i = fraction(start, start + 1); // H2: a '.' followed by a digit starts a fraction
        } else if (sql.charAt(start) == '0' && start < end && "BOX".indexOf(sql.charAt(start + 1) & 0xffdf) >= 0) {
            int radix = switch (sql.charAt(start + 1) & 0xffdf) {
                case 'B' -> 2;
                case 'O' -> 8;
                default -> 16;
            };
            i = radixInteger(start, start + 2, radix);
        } else {
            i = decimal(start);
        }
        return i;
    }

    /** Digits and underscores from {@code start}; then a fraction, an exponent or an {@code L} suffix. */
    private int decimal(int start) {
        int i = start + 1;
        int lastUnderscore = Integer.MIN_VALUE;
        for (; i <= end; i++) {
            char c = sql.charAt(i);
            if (isDigit(c)) {
                continue;
            }
            if (lastUnderscore == i - 1) {
                malformed.at(start);
            }
            switch (c) {
                case '.':
                    return fraction(start, i);
                case 'E', 'e':
                    return exponent(start, i);
                case 'L', 'l':
                    return i + 1;
                case '_':
                    lastUnderscore = i;
                    continue;
                default:
                    return i;
            }
        }
        if (lastUnderscore == i - 1) {
            malformed.at(start);
        }
        return i;
    }

    /** {@code dot} is the '.' (or, for {@code .5}, the first digit): digits and underscores, then an exponent. */
    private int fraction(int start, int dot) {
        int first = dot + 1;
        int lastUnderscore = Integer.MIN_VALUE;
        int i = dot;
        while (++i <= end) {
            char c = sql.charAt(i);
            if (isDigit(c)) {
                continue;
            }
            if (lastUnderscore == i - 1) {
                malformed.at(start);
            }
            if (c == 'E' || c == 'e') {
                return exponent(start, i);
            }
            if (c == '_') {
                if (i == first) {
                    malformed.at(start);
                }
                lastUnderscore = i;
                continue;
            }
            break;
        }
        if (lastUnderscore == i - 1) {
            malformed.at(start);
        }
        return i;
    }

    /** {@code e} is the 'E': an optional sign and at least one digit, then digits and underscores. */
    private int exponent(int start, int e) {
        int i = e;
        if (i == end) {
            malformed.at(start);
            return i + 1;
        }
        char c = sql.charAt(++i);
        if (c == '+' || c == '-') {
            if (i == end) {
                malformed.at(start);
                return i + 1;
            }
            c = sql.charAt(++i);
        }
        if (!isDigit(c)) {
            malformed.at(start);
            return i;
        }
        int lastUnderscore = Integer.MIN_VALUE;
        while (++i <= end) {
            c = sql.charAt(i);
            if (isDigit(c)) {
                continue;
            }
            if (lastUnderscore == i - 1) {
                malformed.at(start);
            }
            if (c != '_') {
                break;
            }
            lastUnderscore = i;
        }
        if (lastUnderscore == i - 1) {
            malformed.at(start);
        }
        return i;
    }

    /**
     * A binary, octal or hex integer whose digits start at {@code digits}; an {@code L} suffix; H2 refuses a
     * literal followed directly by an identifier character.
     */
    private int radixInteger(int start, int digits, int radix) {
        int i = digits;
        int lastUnderscore = Integer.MIN_VALUE;
        long value = 0;
        for (; i <= end; i++) {
            char c = sql.charAt(i);
            if (c == '_') {
                if (lastUnderscore == i - 1) {
                    malformed.at(start);
                }
                lastUnderscore = i;
            } else if (Character.digit(c, radix) < 0 || c > 'f') {
                break;
            } else if (value <= Integer.MAX_VALUE) {
                value = value * radix + Character.digit(c, radix);
            }
        }
        if (i == digits || lastUnderscore == i - 1) {
            malformed.at(start);
        }
        if (i <= end && (sql.charAt(i) == 'L' || (radix == 16 && sql.charAt(i) == 'l'))) {
            i++;
        }
        // H2 refuses a letter or digit right after the literal, except after a binary or octal one beyond INT
        // (Tokenizer.finishBigInteger checks only hex): there the literal simply ends
        boolean checked = radix == 16 || value <= Integer.MAX_VALUE;
        if (checked && i <= end && Character.isJavaIdentifierPart(sql.codePointAt(i))) {
            malformed.at(start);
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
