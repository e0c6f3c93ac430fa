package org.lockstepdb.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatementSplitterTest {

    @Test
    void splitsOnSemicolons() {
        assertThat(StatementSplitter.split("CREATE TABLE t(a INT); INSERT INTO t VALUES (1),(2); SELECT * FROM t"))
                .containsExactly("CREATE TABLE t(a INT)", "INSERT INTO t VALUES (1),(2)", "SELECT * FROM t");
    }

    @Test
    void semicolonInsideSingleQuotesDoesNotSplit() {
        assertThat(StatementSplitter.split("INSERT INTO t VALUES ('a;b'); SELECT ';'"))
                .containsExactly("INSERT INTO t VALUES ('a;b')", "SELECT ';'");
    }

    @Test
    void escapedQuotesStayInsideTheString() {
        assertThat(StatementSplitter.split("SELECT 'it''s; fine'; SELECT 'x''';SELECT ''''"))
                .containsExactly("SELECT 'it''s; fine'", "SELECT 'x'''", "SELECT ''''");
    }

    @Test
    void semicolonInsideDoubleQuotedIdentifier() {
        assertThat(StatementSplitter.split("CREATE TABLE \"a;b\"(\"x\"\"; y\" INT); DROP TABLE \"a;b\""))
                .containsExactly("CREATE TABLE \"a;b\"(\"x\"\"; y\" INT)", "DROP TABLE \"a;b\"");
    }

    @Test
    void commentsDoNotSplitAndAreTrimmedAtTheEdges() {
        String script = """
                -- first; a comment
                SELECT 1; -- trailing; comment
                /* block; comment */ SELECT /* inner; */ 2;
                SELECT 3 -- no end here;
                ;
                /* only a comment; */
                """;
        assertThat(StatementSplitter.split(script))
                .containsExactly("SELECT 1", "SELECT /* inner; */ 2", "SELECT 3");
    }

    @Test
    void multiLineStatements() {
        String script = "SELECT a,\n       b\n  FROM t\n WHERE a = 'x\ny';\nSELECT 2;";
        assertThat(StatementSplitter.split(script))
                .containsExactly("SELECT a,\n       b\n  FROM t\n WHERE a = 'x\ny'", "SELECT 2");
    }

    @Test
    void emptyStatementsAreDropped() {
        assertThat(StatementSplitter.split(";;  ; \n ;SELECT 1;;;")).containsExactly("SELECT 1");
        assertThat(StatementSplitter.split("")).isEmpty();
        assertThat(StatementSplitter.split("   \n-- nothing\n")).isEmpty();
    }

    @Test
    void trailingStatementWithoutSemicolon() {
        assertThat(StatementSplitter.split("SELECT 1; SELECT 2")).containsExactly("SELECT 1", "SELECT 2");
        assertThat(StatementSplitter.split("SELECT 1 -- comment")).containsExactly("SELECT 1");
        assertThat(StatementSplitter.split("SELECT 1-")).containsExactly("SELECT 1-");
        assertThat(StatementSplitter.split("SELECT 'open")).containsExactly("SELECT 'open");
    }

    @Test
    void minusAndSlashAreOrdinaryOperators() {
        assertThat(StatementSplitter.split("SELECT 4-1; SELECT 4/2; SELECT 2*3"))
                .containsExactly("SELECT 4-1", "SELECT 4/2", "SELECT 2*3");
    }

    @Test
    void dollarQuotedH2Source() {
        String script = "CREATE ALIAS F AS $$ String f() { return \"a;b\"; } $$; SELECT F()";
        assertThat(StatementSplitter.split(script))
                .containsExactly("CREATE ALIAS F AS $$ String f() { return \"a;b\"; } $$", "SELECT F()");
        assertThat(StatementSplitter.split("SELECT A$$B; SELECT 1")).containsExactly("SELECT A$$B", "SELECT 1");
    }

    @Test
    void incrementalInputAcrossChunks() {
        StatementSplitter splitter = new StatementSplitter();
        splitter.append("SELECT 1 -");
        assertThat(splitter.drainComplete()).isEmpty();
        assertThat(splitter.needsMoreInput()).isTrue();
        splitter.append("- c;omment\n");
        assertThat(splitter.needsMoreInput()).isTrue();
        splitter.append(", 2; SELECT '");
        assertThat(splitter.drainComplete()).containsExactly("SELECT 1 -- c;omment\n, 2");
        assertThat(splitter.needsMoreInput()).isTrue();
        splitter.append(";';");
        assertThat(splitter.drainComplete()).containsExactly("SELECT ';'");
        assertThat(splitter.needsMoreInput()).isFalse();
        assertThat(splitter.atStatementBoundary()).isTrue();
        assertThat(splitter.finish()).isNull();
    }

    @Test
    void needsMoreInputForInteractiveUse() {
        assertThat(new StatementSplitter().append("SELECT 1").needsMoreInput()).isTrue();
        assertThat(new StatementSplitter().append("SELECT 1;").needsMoreInput()).isFalse();
        assertThat(new StatementSplitter().append("SELECT 1; -- done").needsMoreInput()).isFalse();
        assertThat(new StatementSplitter().append("SELECT 1 -- done;").needsMoreInput()).isTrue();
        assertThat(new StatementSplitter().append("SELECT ';").needsMoreInput()).isTrue();
        assertThat(new StatementSplitter().append("/* open ;").needsMoreInput()).isTrue();
        assertThat(new StatementSplitter().append("SELECT 1; /* x */").needsMoreInput()).isFalse();
        assertThat(new StatementSplitter().append("   ").needsMoreInput()).isFalse();
        assertThat(new StatementSplitter().append("-").needsMoreInput()).isTrue();
    }

    @Test
    void finishKeepsUndrainedStatements() {
        StatementSplitter splitter = new StatementSplitter().append("SELECT 1; SELECT 2");
        assertThat(splitter.finish()).isEqualTo("SELECT 2");
        assertThat(splitter.drainComplete()).isEqualTo(List.of("SELECT 1"));
    }

    @Test
    void h2CommentsAndQuotesItsLexerKnows() {
        assertThat(StatementSplitter.split("SELECT 1 // not here; nor here\n; /* a /* b; */ c; */ SELECT `x;y`; "
                + "SELECT U&'a;b'; SELECT 2"))
                .containsExactly("SELECT 1", "SELECT `x;y`", "SELECT U&'a;b'", "SELECT 2");
        StatementSplitter splitter = new StatementSplitter().append("SELECT 1 /* a /* b */");
        assertThat(splitter.needsMoreInput()).isTrue();
        splitter.append(" ; */;");
        assertThat(splitter.drainComplete()).containsExactly("SELECT 1"); // a trailing comment is dropped
        assertThat(splitter.append("SELECT 2 // c").atStatementBoundary()).isFalse();
        assertThat(new StatementSplitter().append("SELECT 2; // c").atStatementBoundary()).isFalse();
        assertThat(new StatementSplitter().append("SELECT 2; // c\n").atStatementBoundary()).isTrue();
    }
}
