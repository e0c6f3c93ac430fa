package org.lockstepdb.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InteractiveShellTest {

    @TempDir
    Path dir;

    private String session(String input, Path history) throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:interactive");
             Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB,
                     new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), screen,
                     StandardCharsets.UTF_8)) {
            ShellSession session = new ShellSession(connection, terminal.writer(), terminal.writer());
            int status = new InteractiveShell(session, terminal, history, "hello").run();
            assertThat(status).isZero();
        }
        return screen.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void multiLineStatementsDotCommandsAndQuit() throws Exception {
        Path history = dir.resolve("history");
        String screen = session("CREATE TABLE t(a INT);\nINSERT INTO t\n  VALUES (1), (2);\nSELECT a\n"
                + "FROM t WHERE a > 1;\n.tables\n.nope\nSELECT 'after quit';\n.quit\nSELECT 'not run';\n", history);
        assertThat(screen).startsWith("hello\n");
        assertThat(screen).contains(InteractiveShell.PROMPT);
        // (a dumb terminal does not redraw, so the continuation prompt is not visible here)
        assertThat(screen).containsOnlyOnce("lockstep>  A\n"); // the 2-line SELECT ran once, when complete
        assertThat(screen).contains("OK\n").contains("Updated 2 rows\n").contains(" A\n---\n 2\n(1 row)\n");
        assertThat(screen).contains(" PUBLIC       | T\n");
        assertThat(screen).contains("Error: unknown command: .nope");
        assertThat(screen).contains("after quit").doesNotContain("not run");
        assertThat(Files.readString(history)).contains("CREATE TABLE t(a INT);").contains(".tables");
    }

    @Test
    void endOfInputLeaves() throws Exception {
        String screen = session("SELECT 40 + 2 AS answer;\n", null);
        assertThat(screen).contains(" ANSWER\n--------\n     42\n(1 row)\n");
    }

    @Test
    void parserWaitsForTheSemicolon() {
        assertThat(SqlLineParser.needsMoreInput("SELECT 1")).isTrue();
        assertThat(SqlLineParser.needsMoreInput("SELECT 1\n  FROM dual;")).isFalse();
        assertThat(SqlLineParser.needsMoreInput(".tables")).isFalse();
        assertThat(SqlLineParser.needsMoreInput("  ")).isFalse();
        assertThat(SqlLineParser.needsMoreInput("SELECT ';")).isTrue();
    }
}
