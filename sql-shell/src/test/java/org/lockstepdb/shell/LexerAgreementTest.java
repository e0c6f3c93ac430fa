package org.lockstepdb.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockstepdb.jdbc.LockstepPreparedStatement;
import org.lockstepdb.protocol.sql.Classification;
import org.lockstepdb.protocol.sql.SqlKind;
import org.lockstepdb.protocol.sql.StatementClassifier;
import org.lockstepdb.protocol.sql.StatementKind;

/**
 * The users of the one lexer (the driver's parameter count, the shell's splitter, the statement classifier that
 * the guard, the driver's routing and the server use) and embedded H2 itself read the same tricky texts alike:
 * nested and {@code //} comments, dollar-quoted and Unicode-escaped strings, {@code $1}- and {@code ?}-style
 * parameters, quoted identifiers with semicolons.
 */
class LexerAgreementTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private Connection h2;

    @BeforeEach
    void openH2() throws SQLException {
        h2 = fresh();
    }

    @AfterEach
    void closeH2() throws SQLException {
        h2.close();
    }

    private static Connection fresh() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:h2:mem:agree" + DATABASES.incrementAndGet());
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE T(N INT, S VARCHAR)");
        }
        return c;
    }

    /** Texts and how many parameters H2 gives them (checked against H2 below, not only against this number). */
    private static final Map<String, Integer> PARAMETERS = Map.ofEntries(
            Map.entry("SELECT ? // why?", 1),
            Map.entry("SELECT ? /* outer /* inner ? */ still a comment ? */ + ?", 2),
            Map.entry("SELECT $$ ? ; ' $$, ?", 1),
            Map.entry("SELECT U&'\\0041?', ?", 1),
            Map.entry("SELECT N'?', X'0A', ?", 1),
            Map.entry("SELECT 'it''s ?', ? -- and ?\n", 1),
            Map.entry("SELECT \"a;?\" FROM (SELECT 1 AS \"a;?\") WHERE ? = 1", 1),
            Map.entry("SELECT U&\"b!0041?\" UESCAPE '!' FROM (SELECT 1 AS \"bA?\") WHERE ? = 1", 1),
            Map.entry("SELECT $1, $2", 2),
            Map.entry("SELECT ?2", 2),
            Map.entry("SELECT ?1, ?1", 1),
            Map.entry("SELECT 1 /* ? */ // ?\n + ?", 1),
            Map.entry("INSERT INTO T VALUES (?, $$;?$$)", 1),
            Map.entry("SELECT ARRAY[1, 2] ??(1??), ?", 1));

    @Test
    void driverCountsParametersAsH2Does() throws SQLException {
        for (var e : PARAMETERS.entrySet()) {
            String sql = e.getKey();
            int h2Count;
            try (PreparedStatement ps = h2.prepareStatement(sql)) {
                h2Count = ps.getParameterMetaData().getParameterCount();
            }
            assertThat(h2Count).as("H2: %s", sql).isEqualTo(e.getValue());
            assertThat(LockstepPreparedStatement.countParameters(sql)).as("driver: %s", sql).isEqualTo(h2Count);
        }
    }

    @Test
    void classifierSeesQueriesWhereH2Does() throws SQLException {
        for (String sql : PARAMETERS.keySet()) {
            Classification c = StatementClassifier.classify(sql);
            assertThat(c.refusal()).as(sql).isNull();
            boolean h2Query;
            try (PreparedStatement ps = h2.prepareStatement(sql)) {
                h2Query = ps.getMetaData() != null;
            }
            assertThat(c.isQuery()).as("query: %s", sql).isEqualTo(h2Query);
        }
        try (Statement s = h2.createStatement()) {
            s.execute("CREATE TABLE B(X INT)");
        }
        // what follows a nested or // comment is the statement: H2 runs the DDL, not the commented INSERT
        String nested = "/* /* */ INSERT INTO T VALUES (9, 'x') */ DROP TABLE B";
        assertThat(StatementClassifier.classify(nested).kind()).isEqualTo(StatementKind.DDL_OTHER);
        String slashes = "// INSERT INTO T VALUES (9, 'x')\nCREATE TABLE C(X INT)";
        assertThat(StatementClassifier.classify(slashes).coarse()).isEqualTo(SqlKind.DDL);
        try (Statement s = h2.createStatement()) {
            assertThat(s.execute(nested)).isFalse();
            assertThat(s.execute(slashes)).isFalse();
            assertThat(count("T")).isZero();
        }
    }

    @Test
    void shellCountsRowsOfWhatH2Runs() throws SQLException {
        String delete = "-- a note\nDELETE FROM T WHERE N = 0";
        String create = "/* INSERT INTO T VALUES (1, 'x') */ CREATE TABLE D(X INT)";
        try (Statement s = h2.createStatement()) {
            assertThat(s.execute(delete)).isFalse();
            assertThat(s.getUpdateCount()).isZero();
            assertThat(s.execute(create)).isFalse();
        }
        assertThat(ShellSession.isRowCounting(delete)).isTrue();
        assertThat(ShellSession.isRowCounting(create)).isFalse();
        assertThat(ShellSession.isRowCounting("(SELECT 1)")).isTrue();
    }

    /** A script H2 runs in one execute (it splits on its own tokens) and the shell splits statement by statement. */
    private static final String SCRIPT = String.join("\n",
            "INSERT INTO T VALUES (1, 'a;b'); INSERT INTO T VALUES (2, $$c;d$$) // a comment; with a semicolon",
            "; INSERT INTO T VALUES (3, U&'e\\003Bf'); /* nested /* ; */ ; */ INSERT INTO \"T\" VALUES (4, 'x') -- ;",
            "; CREATE TABLE \"q;r\"(a INT); INSERT INTO \"q;r\" VALUES (5);",
            "INSERT INTO T VALUES (6, 'g''h;') ;",
            "INSERT INTO T VALUES (7, 'i' /* continued */ 'j;k'); INSERT INTO T (`n`, S) VALUES (8, 'l;m')");

    @Test
    void shellSplitsScriptsAsH2Does() throws SQLException {
        try (Statement s = h2.createStatement()) {
            s.execute(SCRIPT);
        }
        List<String> expected = rows(h2);
        assertThat(expected).hasSize(8); // T: 1-4, 6-8; "q;r": 5

        List<String> statements = StatementSplitter.split(SCRIPT);
        assertThat(statements).hasSize(9);
        try (Connection separate = fresh(); Statement s = separate.createStatement()) {
            s.execute("CREATE TABLE S(X INT)");
            s.execute("INSERT INTO S VALUES 1");
            for (String sql : statements) {
                Classification c = StatementClassifier.classify(sql);
                assertThat(c.refusal()).as(sql).isNull();
                assertThat(LockstepPreparedStatement.countParameters(sql)).as(sql).isZero();
                try (PreparedStatement ps = separate.prepareStatement(sql)) {
                    assertThat(ps.getParameterMetaData().getParameterCount()).isZero();
                    ps.execute();
                }
            }
            assertThat(rows(separate)).isEqualTo(expected);
        }
        // fed line by line, as the shell reads a script file
        StatementSplitter incremental = new StatementSplitter();
        List<String> byLine = new ArrayList<>();
        for (String line : SCRIPT.split("\n")) {
            incremental.append(line).append("\n");
            byLine.addAll(incremental.drainComplete());
        }
        String tail = incremental.finish();
        if (tail != null) {
            byLine.add(tail);
        }
        assertThat(byLine).isEqualTo(statements);
    }

    private List<String> rows(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT N, S FROM T ORDER BY N")) {
                while (r.next()) {
                    rows.add(r.getInt(1) + "=" + r.getString(2));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT A FROM \"q;r\"")) {
                while (r.next()) {
                    rows.add("q;r=" + r.getInt(1));
                }
            }
        }
        return rows;
    }

    private int count(String table) throws SQLException {
        try (Statement s = h2.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            return r.getInt(1);
        }
    }
}
