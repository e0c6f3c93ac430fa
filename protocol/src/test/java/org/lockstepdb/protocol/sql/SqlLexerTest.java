package org.lockstepdb.protocol.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.sql.SqlToken.Kind;

class SqlLexerTest {
    private static List<String> names(String sql) {
        return SqlLexer.lex(sql).tokens().stream().map(SqlToken::name).toList();
    }

    private static int parameters(String sql) {
        return SqlLexer.parameterCount(SqlLexer.lex(sql));
    }

    @Test
    void numbersEndWhereH2EndsThem() {
        // 1.5b$$ is the number 1.5 and the name b$$ to H2: nothing after it may become a string
        SqlLexer.Lexed lexed = SqlLexer.lex("SELECT 1.5b$$, DATABASE_PATH() --$$");
        assertThat(lexed.error()).isNull();
        assertThat(lexed.tokens()).extracting(SqlToken::name).contains("1.5", "B$$", "DATABASE_PATH");
        // a binary literal beyond INT may be followed by a name (H2 checks that only for hex)
        assertThat(SqlLexer.lex("SELECT 0b111111111111111111111111111111111x").error()).isNull();
        assertThat(SqlLexer.lex("SELECT 0x1f$$ --$$").error()).isNotNull();
    }

    @Test
    void uescapeIsAKeywordOnlyInAsciiLetters() {
        // the long s upper-cases to S in Java, but H2 reads ueſcape as a name, not UESCAPE
        assertThat(SqlLexer.lex("SELECT U&\"\\0052AND\" ue\u017fcape '!'").tokens()).hasSize(4);
        assertThat(SqlLexer.lex("SELECT U&\"!0052AND\" uescape '!'").tokens()).hasSize(2)
                .last().extracting(SqlToken::name).isEqualTo("RAND");
    }

    @Test
    void commentsAsH2ReadsThem() {
        assertThat(names("SELECT 1 // two ? ;\n, /* a /* nested */ ; */ 3 -- four")).containsExactly("SELECT", "1", ",", "3");
        SqlLexer.Lexed lexed = SqlLexer.lex("a /* x */ b -- y");
        assertThat(lexed.comments()).hasSize(2);
        assertThat(lexed.comments().get(0)).containsExactly(2, 9);
        assertThat(lexed.comments().get(1)).containsExactly(12, 16);
    }

    @Test
    void stringsAndIdentifiers() {
        List<SqlToken> tokens = SqlLexer.lex("SELECT 'it''s' 'ok', $$a;b$$, N'n', X'0A', U&'\\0041', \"a;\"\"b\", `c`, "
                + "U&\"d!0041\" UESCAPE '!'").tokens();
        assertThat(tokens).extracting(SqlToken::kind).containsExactly(Kind.IDENT, Kind.STRING, Kind.PUNCT, Kind.STRING,
                Kind.PUNCT, Kind.STRING, Kind.PUNCT, Kind.STRING, Kind.PUNCT, Kind.STRING, Kind.PUNCT, Kind.QUOTED_IDENT,
                Kind.PUNCT, Kind.QUOTED_IDENT, Kind.PUNCT, Kind.QUOTED_IDENT);
        assertThat(tokens.get(1).name()).isEqualTo("it'sok");
        assertThat(tokens.get(3).name()).isEqualTo("a;b");
        assertThat(tokens.get(11).name()).isEqualTo("a;\"b");
        assertThat(tokens.get(13).name()).isEqualTo("C");
        SqlToken unicode = tokens.get(15);
        assertThat(unicode.name()).isEqualTo("dA");
        assertThat(unicode.end()).as("UESCAPE 'c' belongs to the identifier").isEqualTo(
                "SELECT 'it''s' 'ok', $$a;b$$, N'n', X'0A', U&'\\0041', \"a;\"\"b\", `c`, U&\"d!0041\" UESCAPE '!'".length());
        assertThat(names("SELECT A$$B")).containsExactly("SELECT", "A$$B");
    }

    @Test
    void parametersAsH2CountsThem() {
        assertThat(parameters("SELECT ? // why?")).isEqualTo(1);
        assertThat(parameters("SELECT ?, '?', \"?\", $$?$$ /* ? */")).isEqualTo(1);
        assertThat(parameters("SELECT ?2")).isEqualTo(2);
        assertThat(parameters("SELECT ?1, ?1")).isEqualTo(1);
        assertThat(parameters("SELECT $1, $3")).isEqualTo(3);
        assertThat(parameters("SELECT ARRAY[1] ??(1??)")).isZero();
    }

    @Test
    void errorsAreReportedNotThrown() {
        SqlLexer.Lexed open = SqlLexer.lex("SELECT 1; SELECT 'open");
        assertThat(open.error().unterminated()).isTrue();
        assertThat(open.error().offset()).isEqualTo(17);
        assertThat(names("SELECT 1; SELECT 'open")).containsExactly("SELECT", "1", ";", "SELECT");
        assertThat(SqlLexer.lex("/* never closed").error().message()).isEqualTo("unterminated comment");
        SqlLexer.Lexed hash = SqlLexer.lex("SELECT # 1");
        assertThat(hash.error().message()).isEqualTo("unexpected character '#'");
        assertThat(hash.error().unterminated()).isFalse();
        assertThat(names("SELECT # 1")).containsExactly("SELECT", "#", "1");
        assertThat(SqlLexer.lex("SELECT U&\"\\00zz\"").error().message()).isEqualTo("invalid Unicode escape in identifier");
    }
}
