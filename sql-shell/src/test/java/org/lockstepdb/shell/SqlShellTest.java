package org.lockstepdb.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlShellTest {

    private final String url = "jdbc:h2:mem:shell" + UUID.randomUUID().toString().replace("-", "");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int feed(String stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return SqlShell.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        return feed("", args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void executeRunsStatementsAndPrintsTheTable() {
        int status = run("--url", url, "-e", "CREATE TABLE t(a INT); INSERT INTO t VALUES (1),(2); SELECT * FROM t");
        assertThat(err()).isEmpty();
        assertThat(status).isZero();
        assertThat(out()).isEqualTo("""
                OK
                Updated 2 rows
                 A
                ---
                 1
                 2
                (2 rows)
                """);
    }

    @Test
    void updateCountsAndDdl() {
        int status = run("--url", url, "-e", """
                CREATE TABLE t(a INT PRIMARY KEY, b VARCHAR);
                INSERT INTO t VALUES (1, 'x');
                UPDATE t SET b = 'y' WHERE a = 99;
                DELETE FROM t;
                CREATE INDEX i ON t(b);
                DROP TABLE t""");
        assertThat(status).isZero();
        assertThat(out()).isEqualTo("OK\nUpdated 1 row\nUpdated 0 rows\nUpdated 1 row\nOK\nOK\n");
    }

    @Test
    void failingStatementExitsWithOneAndStops() {
        int status = run("--url", url, "-e", "SELECT 1; SELECT * FROM missing_table; SELECT 3");
        assertThat(status).isEqualTo(1);
        assertThat(out()).contains("(1 row)").doesNotContain(" 3\n");
        assertThat(err()).startsWith("Error: ").contains("MISSING_TABLE")
                .containsPattern("\\(SQLState 42S0[24], code 4210[24]\\)\n$");
    }

    @Test
    void continueOnErrorRunsTheRestButStillFails() {
        int status = run("--url", url, "--continue-on-error", "-e", "SELECT * FROM nope; SELECT 3 AS x");
        assertThat(status).isEqualTo(1);
        assertThat(err()).contains("Error: ").containsPattern("SQLState 42S0[24]");
        assertThat(out()).contains(" X\n---\n 3\n(1 row)");
    }

    @Test
    void stdinIsRunAsAScript() {
        String script = """
                -- a script on standard input
                CREATE TABLE people(
                    id INT PRIMARY KEY,
                    name VARCHAR(20)   -- ; not the end
                );
                INSERT INTO people VALUES (1, 'Ann; Lee'), (2, NULL);
                .tables
                SELECT name FROM people ORDER BY id
                """;
        int status = feed(script, "--url", url);
        assertThat(err()).isEmpty();
        assertThat(status).isZero();
        assertThat(out()).isEqualTo("""
                OK
                Updated 2 rows
                 TABLE_SCHEMA | TABLE_NAME
                --------------+------------
                 PUBLIC       | PEOPLE
                (1 row)
                 NAME
                ----------
                 Ann; Lee
                 NULL
                (2 rows)
                """);
    }

    @Test
    void stdinScriptStopsAtFirstErrorWithLocation() {
        int status = feed("SELECT 1;\nSELECT\n  * FROM nope;\nSELECT 2;\n", "--url", url);
        assertThat(status).isEqualTo(1);
        assertThat(err()).startsWith("Error: ").endsWith("\n  at <stdin>:2\n");
        assertThat(out()).doesNotContain(" 2\n");
    }

    @Test
    void fileScriptWithDotCommandsAndRead() throws Exception {
        Path inner = dir.resolve("inner.sql");
        Files.writeString(inner, "INSERT INTO t VALUES (7);\n");
        Path script = dir.resolve("script.sql");
        Files.writeString(script, "CREATE TABLE t(a INT);\n.read " + inner + "\nSELECT a FROM t;\n");
        int status = run("--url", url, "-f", script.toString());
        assertThat(err()).isEmpty();
        assertThat(status).isZero();
        assertThat(out()).isEqualTo("OK\nUpdated 1 row\n A\n---\n 7\n(1 row)\n");
    }

    @Test
    void fileErrorReportsFileAndLine() throws Exception {
        Path script = dir.resolve("bad.sql");
        Files.writeString(script, "SELECT 1;\n\nSELEKT 2;\nSELECT 3;\n");
        int status = run("--url", url, "-f", script.toString());
        assertThat(status).isEqualTo(1);
        assertThat(err()).contains("Error: ").contains("SQLState 42001").contains("  at " + script + ":3");
    }

    @Test
    void missingFile() {
        int status = run("--url", url, "-f", dir.resolve("nope.sql").toString());
        assertThat(status).isEqualTo(1);
        assertThat(err()).startsWith("Error: no such file: ");
    }

    @Test
    void schemaShowsColumns() {
        int status = feed("CREATE TABLE t(id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, price NUMERIC(10, 2) DEFAULT 0,"
                + " note VARCHAR);\n.schema t\n", "--url", url);
        assertThat(err()).isEmpty();
        assertThat(status).isZero();
        assertThat(out()).isEqualTo("""
                OK
                Table PUBLIC.T
                 COLUMN | TYPE                  | NULLABLE | DEFAULT
                --------+-----------------------+----------+---------
                 ID     | INTEGER               | NO       | NULL
                 NAME   | CHARACTER VARYING(20) | NO       | NULL
                 PRICE  | NUMERIC(10, 2)        | YES      | 0
                 NOTE   | CHARACTER VARYING     | YES      | NULL
                (4 rows)
                """);
    }

    @Test
    void schemaOfQuotedAndQualifiedNames() {
        int status = feed("CREATE TABLE \"Mixed\"(x INT);\n.schema \"Mixed\"\n.schema public.\"Mixed\"\n",
                "--url", url);
        assertThat(err()).isEmpty();
        assertThat(status).isZero();
        assertThat(out().split("Table PUBLIC.Mixed", -1)).hasSize(3);
    }

    @Test
    void schemaOfUnknownTableFails() {
        int status = feed(".schema nope\n", "--url", url);
        assertThat(status).isEqualTo(1);
        assertThat(err()).contains("Error: no such table: nope");
    }

    @Test
    void unknownDotCommandIsAClearError() {
        int status = feed(".frobnicate\nSELECT 1;\n", "--url", url);
        assertThat(status).isEqualTo(1);
        assertThat(err()).contains("Error: unknown command: .frobnicate (type .help for the list of commands)");
        assertThat(out()).isEmpty();
    }

    @Test
    void helpListsCommands() {
        int status = feed(".help\n", "--url", url);
        assertThat(status).isZero();
        assertThat(out()).contains(".help").contains(".quit, .exit").contains(".tables").contains(".schema TABLE")
                .contains(".timing [on|off]").contains(".read FILE");
    }

    @Test
    void quitStopsTheScript() {
        int status = feed("SELECT 1;\n.quit\nSELECT * FROM nope;\n", "--url", url);
        assertThat(status).isZero();
        assertThat(err()).isEmpty();
    }

    @Test
    void timingOptionAndCommand() {
        int status = run("--url", url, "--timing", "-e", "SELECT 1");
        assertThat(status).isZero();
        assertThat(out()).containsPattern("\\(1 row\\)\nTime: \\d+\\.\\d{3} ms\n");

        out.reset();
        status = feed(".timing on\nSELECT 1;\n.timing off\nSELECT 2;\n", "--url", url);
        assertThat(status).isZero();
        assertThat(out()).containsOnlyOnce("Time: ").contains("Timing is on").contains("Timing is off");
    }

    @Test
    void connectionFailure() {
        int status = run("--url", "jdbc:nosuchdriver://x", "-e", "SELECT 1");
        assertThat(status).isEqualTo(1);
        assertThat(err()).startsWith("Error: ").contains("SQLState 08001");
    }

    @Test
    void usageErrors() {
        assertThat(run("-e", "SELECT 1")).isEqualTo(2);
        assertThat(err()).contains("--url");
        assertThat(run("--url", url, "-e", "SELECT 1", "-f", "x.sql")).isEqualTo(2);
        assertThat(err()).contains("-e and -f cannot be used together");
    }

    @Test
    void customDotCommandsCanBeRegistered() {
        List<String> seen = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(".status now\n".getBytes(StandardCharsets.UTF_8));
        int status = SqlShell.run(new String[] {"--url", url}, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                session -> session.commands().register("status", "[WHAT]", "Cluster status", (s, inv) -> {
                    seen.add(inv.argumentText());
                    s.out().println("all good");
                    return CommandStatus.OK;
                }));
        assertThat(status).isZero();
        assertThat(seen).containsExactly("now");
        assertThat(out()).isEqualTo("all good\n");
    }
}
