package org.lockstepdb.protocol.sql;

import java.util.Locale;

/**
 * One token of an SQL text as H2 reads it ({@link SqlLexer}).
 *
 * @param kind  what the token is
 * @param start offset of its first character in the text (UTF-16 units)
 * @param end   offset just past its last character
 * @param name  IDENT: the upper-cased word; QUOTED_IDENT: the exact identifier (quotes and escapes resolved);
 *              STRING: the value; NUMBER: the upper-cased text; PARAM: the text ({@code ?}, {@code ?3},
 *              {@code $3}); PUNCT: the operator or punctuation ({@code ??(} and {@code ??)} read as
 *              {@code [} and {@code ]})
 */
public record SqlToken(Kind kind, int start, int end, String name) {
    /** Token kinds. */
    public enum Kind { IDENT, QUOTED_IDENT, STRING, NUMBER, PARAM, PUNCT }

    /** Whether this is the punctuation or unquoted word {@code punctOrWord} (upper case). */
    public boolean is(String punctOrWord) {
        return (kind == Kind.PUNCT || kind == Kind.IDENT) && name.equals(punctOrWord);
    }

    public boolean isIdentifier() {
        return kind == Kind.IDENT || kind == Kind.QUOTED_IDENT;
    }

    /** Upper-cased name for function look-ups: H2 upper-cases quoted function names too. */
    public String upperName() {
        return kind == Kind.QUOTED_IDENT ? name.toUpperCase(Locale.ROOT) : name;
    }
}
