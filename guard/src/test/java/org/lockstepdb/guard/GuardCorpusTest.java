package org.lockstepdb.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Runs the statement corpus (guard/src/test/resources/guard-corpus.tsv) through the guard. */
class GuardCorpusTest {
    static final long STAMP = Instant.parse("2026-11-27T08:12:24.123Z").toEpochMilli();

    record Row(int line, String mode, String expected, String expectation, String sql) { }

    static List<Row> corpus() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                GuardCorpusTest.class.getResourceAsStream("/guard-corpus.tsv"), StandardCharsets.UTF_8))) {
            String line;
            int no = 0;
            while ((line = in.readLine()) != null) {
                no++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                assertThat(f).as("line %d", no).hasSize(4);
                rows.add(new Row(no, f[0], f[1], unescape(f[2]), unescape(f[3])));
            }
        }
        return rows;
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                b.append(switch (e) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Test
    void everyStatementGetsItsExpectedVerdict() throws Exception {
        StatementGuard guard = new StatementGuard();
        List<String> failures = new ArrayList<>();
        int guarded = 0;
        int calcite = 0;
        for (Row r : corpus()) {
            if (r.mode().equals("setup")) {
                continue;
            }
            guarded++;
            boolean write = r.mode().equals("write");
            GuardResult result = write ? guard.checkWrite(r.sql(), STAMP) : guard.checkRead(r.sql());
            Plan plan = guard.plan(r.sql(), write ? Analyzer.Mode.WRITE : Analyzer.Mode.READ);
            if (plan.path().startsWith("calcite")) {
                calcite++;
            }
            String got = result.accepted() ? (result.sql().equals(r.sql()) ? "accept " + plan.classification()
                    : "rewrite " + result.sql()) : "reject " + result.rejection().sqlState() + " "
                    + result.rejection().message();
            boolean ok = switch (r.expected()) {
                case "accept" -> result.accepted() && result.sql().equals(r.sql())
                        && plan.classification().equals(r.expectation());
                case "rewrite" -> result.accepted() && result.sql().equals(r.expectation());
                case "reject" -> !result.accepted()
                        && result.rejection().sqlState().equals(r.expectation().substring(0, 5))
                        && result.rejection().message().contains(r.expectation().substring(6));
                default -> false;
            };
            if (!ok) {
                failures.add("line " + r.line() + " [" + r.mode() + "] " + r.sql().replace("\n", "\\n")
                        + "\n    expected " + r.expected() + " " + r.expectation() + "\n    got      " + got);
            }
            // a cache hit gives the same answer
            GuardResult again = write ? guard.checkWrite(r.sql(), STAMP) : guard.checkRead(r.sql());
            assertThat(again).isEqualTo(result);
        }
        System.out.printf("guard corpus: %d guarded statements, %d read by Calcite + tokens, %d by tokens only%n",
                guarded, calcite, guarded - calcite);
        assertThat(failures).as(String.join("\n", failures)).isEmpty();
        assertThat(guarded).isGreaterThanOrEqualTo(150);
    }

    @Test
    void acceptedAndRewrittenWritesRunOnH2() throws Exception {
        StatementGuard guard = new StatementGuard();
        List<String> failures = new ArrayList<>();
        int executed = 0;
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:corpus;DB_CLOSE_DELAY=-1");
                Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
            for (Row r : corpus()) {
                String sql;
                if (r.mode().equals("setup")) {
                    sql = r.sql();
                } else if (r.mode().equals("write") && !r.expected().equals("reject")) {
                    GuardResult g = guard.checkWrite(r.sql(), STAMP);
                    assertThat(g.accepted()).as("line %d", r.line()).isTrue();
                    sql = g.sql();
                    executed++;
                } else {
                    continue;
                }
                try {
                    st.execute(sql);
                } catch (SQLException e) {
                    failures.add("line " + r.line() + ": " + sql + "\n    " + e.getMessage());
                }
            }
            // the stamp went in with its type: read back the rewritten CURRENT_TIMESTAMP and CURRENT_DATE
            try (var rs = st.executeQuery("SELECT ts, d FROM t WHERE a = 'now'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1, java.time.OffsetDateTime.class).toInstant()).isEqualTo(Instant.ofEpochMilli(STAMP));
            }
            try (var rs = st.executeQuery("SELECT date, time FROM ev WHERE id = 20")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getObject(1, java.time.LocalDate.class)).isEqualTo(java.time.LocalDate.of(2026, 11, 27));
                assertThat(rs.getObject(2, java.time.LocalTime.class)).isEqualTo(java.time.LocalTime.of(8, 12, 24));
            }
            st.execute("DROP ALL OBJECTS");
        }
        assertThat(failures).as(String.join("\n", failures)).isEmpty();
        assertThat(executed).isGreaterThan(80);
    }

    @Test
    void everyForbiddenFunctionIsCoveredInWritesAndReadsInEveryForm() throws Exception {
        List<Row> rows = corpus();
        for (String f : List.of("FILE_READ", "FILE_WRITE", "CSVREAD", "CSVWRITE", "LINK_SCHEMA", "DATABASE_PATH",
                "SESSION_ID", "TRANSACTION_ID", "MEMORY_FREE", "MEMORY_USED", "DISK_SPACE_USED", "LOCK_TIMEOUT")) {
            for (String mode : List.of("write", "read")) {
                List<Row> hits = rows.stream().filter(r -> r.mode().equals(mode) && r.expected().equals("reject")
                        && r.sql().toUpperCase(Locale.ROOT).contains(f)).toList();
                assertThat(hits).as(f + " in " + mode).anyMatch(r -> r.sql().contains(f + "("));
                assertThat(hits).as(f + " lower case in " + mode).anyMatch(r -> r.sql().contains(f.toLowerCase(Locale.ROOT) + "("));
                assertThat(hits).as(f + " quoted in " + mode).anyMatch(r -> r.sql().contains("\"" + f + "\"("));
                assertThat(hits).as(f + " in a subquery in " + mode).anyMatch(r -> r.sql().toUpperCase(Locale.ROOT)
                        .matches(".*\\(SELECT .*" + f + ".*"));
            }
        }
    }
}
