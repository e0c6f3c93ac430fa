package org.lockstepdb.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ResultPrinterTest {

    private final StringWriter text = new StringWriter();
    private final ResultPrinter printer = new ResultPrinter(new PrintWriter(text));

    @Test
    void alignedTableWithNullAndFooter() {
        printer.printTable(List.of("ID", "NAME"),
                List.of(List.of("1", "alice"), Arrays.asList("22", null)), new boolean[] {true, false});
        assertThat(text.toString()).isEqualToNormalizingNewlines("""
                 ID | NAME
                ----+-------
                  1 | alice
                 22 | NULL
                (2 rows)
                """);
    }

    @Test
    void singleRowAndEmptyFooters() {
        printer.printTable(List.of("A"), List.of(List.of("x")));
        printer.printTable(List.of("A"), List.of());
        assertThat(text.toString()).contains("(1 row)").contains("(0 rows)");
    }

    @Test
    void longValuesAreCutWithEllipsis() {
        String longValue = "x".repeat(100);
        assertThat(printer.cell(longValue)).hasSize(60).endsWith("x\u2026").startsWith("xxxx");
        assertThat(printer.cell("y".repeat(60))).isEqualTo("y".repeat(60));
        assertThat(printer.cell("y".repeat(61))).isEqualTo("y".repeat(59) + "\u2026");
        assertThat(new ResultPrinter(new PrintWriter(text), 10).cell("abcdefghijklmnop")).isEqualTo("abcdefghi\u2026");
    }

    @Test
    void controlCharactersAreEscaped() {
        assertThat(printer.cell("a\nb\tc")).isEqualTo("a\\nb\\tc");
    }

    @Test
    void wideCharactersCountTwoColumns() {
        printer.printTable(List.of("W", "X"), List.of(List.of("日本", "1"), List.of("abcd", "2")));
        assertThat(text.toString()).contains(" 日本 | 1").contains(" abcd | 2");
    }

    @Test
    void hexOfBytes() {
        assertThat(ResultPrinter.hex(new byte[] {0x0a, (byte) 0xff, 0})).isEqualTo("X'0AFF00'");
        assertThat(ResultPrinter.hex(new byte[0])).isEqualTo("X''");
    }

    @Test
    void printsResultSetWithNullsBinaryAndLongStrings() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:printer");
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE v(id INT, s VARCHAR(200), b VARBINARY(100))");
            st.execute("INSERT INTO v VALUES (1, 'short', X'CAFE'), (2, NULL, NULL), (3, REPEAT('z', 100), "
                    + "X'" + "AB".repeat(50) + "')");
            try (ResultSet rs = st.executeQuery("SELECT * FROM v ORDER BY id")) {
                assertThat(printer.print(rs)).isEqualTo(3);
            }
        }
        String[] lines = text.toString().split("\\R");
        assertThat(lines[0]).isEqualTo(" ID | S" + " ".repeat(60) + "| B");
        assertThat(lines[2]).isEqualTo("  1 | short" + " ".repeat(56) + "| X'CAFE'");
        assertThat(lines[3]).isEqualTo("  2 | NULL" + " ".repeat(57) + "| NULL");
        assertThat(lines[4]).isEqualTo("  3 | " + "z".repeat(59) + "\u2026 | X'" + "AB".repeat(28) + "A\u2026");
        assertThat(lines[5]).isEqualTo("(3 rows)");
    }
}
