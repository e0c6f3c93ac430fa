package org.lockstepdb.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.h2.command.H2Tokens;
import org.h2.engine.CastDataProvider;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.sql.SqlLexer;
import org.lockstepdb.protocol.sql.SqlToken;

/**
 * The guard, the replicas' {@code WriteGuard}, the driver and the shell all read SQL through {@link SqlLexer}; a
 * text it splits into other tokens than H2 does can hide a forbidden function or a second statement from every
 * check (found: {@code 1.5b$$ … $$} was one number and a string to the lexer, the number {@code 1.5} and the
 * identifier {@code b$$} to H2). So random texts built from the fragments where lexers go wrong are read by both;
 * wherever H2 accepts a text, the lexer must accept it too, with the same token boundaries, parameters and
 * semicolons. (Where H2 refuses a text, H2 never runs it; the lexer may accept it.)
 */
class LexerVersusH2TokenizerTest {
    /** Mostly complete strings, names and comments (H2 refuses an unterminated one), and the pieces around them. */
    private static final String[] FRAGMENTS = {"'a;b'", "''", "'it''s'", "\"q;d\"", "`c`", "$$x;$y$$", "N'n'",
            "X'0a'", "x'FF'", "U&'\\0041'", "U&\"\\0041\"", " UESCAPE '!'", "U&'!0041' UESCAPE '!'",
            "/* c /* n; */ */", "-- c;\n", "// c?\n", "/**/", "$1", "?", "?1", "?2", "??(", "??)", ";", " ", " ", " ",
            "\n", "\t", "a", "b", "e", "E", "L", "l", "_", "b$$", "$", "1", "1.5", "1e5", "1E+2", "1e", "E-2", "2_3",
            "2__3", "0x", "0xa", "0XfL", "0b1", "0b2", "0o7", "0", "1L", "9999999999", "99999999999L", "1.", ".5", ".",
            "é", "\u00a0", "\u2028", ":", "::", "|", "||", "&", "&&", "!=", "<>", "<=", ">=", "SELECT ", "~", "@",
            "[", "]", "{", "}", "%", "+", "-", "*", "/", "(", ")", ",", "=", "'", "\"",
            " ueſcape ", "0b111111111111111111111111111111111", "0o777777777777L", "x"};
    private static final int TEXTS = 100_000;

    @Test
    void everyTextH2AcceptsIsReadIntoTheSameTokens() throws Exception {
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:lexer-versus-h2")) {
            CastDataProvider provider = (CastDataProvider) ((JdbcConnection) h2).getSession();
            Random random = new Random(20261129);
            List<String> disagreements = new ArrayList<>();
            int acceptedByH2 = 0;
            for (int n = 0; n < TEXTS && disagreements.size() < 10; n++) {
                StringBuilder text = new StringBuilder();
                for (int parts = 1 + random.nextInt(8); parts > 0; parts--) {
                    text.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                }
                String sql = text.toString();
                List<H2Tokens.Read> h2Tokens;
                try {
                    h2Tokens = H2Tokens.of(provider, sql);
                } catch (RuntimeException refusedByH2) {
                    continue;
                }
                acceptedByH2++;
                String difference = difference(sql, h2Tokens, SqlLexer.lex(sql));
                if (difference != null) {
                    disagreements.add(difference + " in " + sql.replace("\n", "\\n").replace("\r", "\\r"));
                }
            }
            assertThat(disagreements).isEmpty();
            assertThat(acceptedByH2).as("texts H2 accepted (the comparison must cover many)").isGreaterThan(TEXTS / 10);
        }
    }

    private static String difference(String sql, List<H2Tokens.Read> h2, SqlLexer.Lexed lexed) {
        if (lexed.error() != null) {
            return "the lexer refuses what H2 reads (" + lexed.error().message() + ")";
        }
        List<Integer> h2Starts = new ArrayList<>();
        int h2Parameters = 0;
        int h2Semicolons = 0;
        for (H2Tokens.Read t : h2) {
            h2Starts.add(t.start());
            h2Parameters += t.type() == H2Tokens.PARAMETER ? 1 : 0;
            h2Semicolons += t.type() == H2Tokens.SEMICOLON ? 1 : 0;
        }
        List<Integer> starts = new ArrayList<>();
        int parameters = 0;
        int semicolons = 0;
        for (SqlToken t : lexed.tokens()) {
            // H2 reports a 0x/0b/0o literal that fits an INT where its digits start, a larger one where it starts
            boolean radix = t.kind() == SqlToken.Kind.NUMBER && t.name().length() > 1 && t.name().charAt(0) == '0'
                    && "BOX".indexOf(t.name().charAt(1)) >= 0;
            boolean h2AtDigits = radix && h2Starts.size() > starts.size() && h2Starts.get(starts.size()) == t.start() + 2;
            starts.add(h2AtDigits ? t.start() + 2 : t.start());
            parameters += t.kind() == SqlToken.Kind.PARAM ? 1 : 0;
            semicolons += t.kind() == SqlToken.Kind.PUNCT && t.name().equals(";") ? 1 : 0;
        }
        if (!starts.equals(h2Starts)) {
            return "tokens start at " + starts + ", H2's at " + h2Starts;
        }
        if (parameters != h2Parameters || semicolons != h2Semicolons) {
            return parameters + " parameters and " + semicolons + " semicolons, H2 reads " + h2Parameters + " and "
                    + h2Semicolons;
        }
        return null;
    }
}
