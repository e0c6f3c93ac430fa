package org.lockstepdb.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Verifies against H2 2.5 itself that each rewritten literal has the type (and precision) of the function it
 * replaces, and holds the stamp.
 */
class TimeLiteralTypesTest {
    private static final long STAMP = Instant.parse("2026-11-27T08:12:24.123456Z").toEpochMilli();

    private static String typeOf(Statement st, String expression) throws Exception {
        st.execute("DROP TABLE IF EXISTS TY");
        st.execute("CREATE TABLE TY AS SELECT " + expression + " AS C");
        try (ResultSet rs = st.executeQuery("SELECT DATA_TYPE, DATETIME_PRECISION FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_NAME = 'TY' AND COLUMN_NAME = 'C'")) {
            rs.next();
            return rs.getString(1) + "(" + rs.getObject(2) + ")";
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CURRENT_TIMESTAMP|CURRENT_TIMESTAMP|-1|TIMESTAMP WITH TIME ZONE(6)",
            "CURRENT_TIMESTAMP(3)|CURRENT_TIMESTAMP|3|TIMESTAMP WITH TIME ZONE(3)",
            "CURRENT_TIMESTAMP(0)|CURRENT_TIMESTAMP|0|TIMESTAMP WITH TIME ZONE(0)",
            "LOCALTIMESTAMP|LOCALTIMESTAMP|-1|TIMESTAMP(6)",
            "LOCALTIMESTAMP(2)|LOCALTIMESTAMP|2|TIMESTAMP(2)",
            "NOW()|LOCALTIMESTAMP|-1|TIMESTAMP(6)",
            "NOW(1)|LOCALTIMESTAMP|1|TIMESTAMP(1)",
            "CURRENT_DATE|CURRENT_DATE|-1|DATE(0)",
            "CURDATE()|CURRENT_DATE|-1|DATE(0)",
            "CURRENT_TIME|CURRENT_TIME|-1|TIME WITH TIME ZONE(0)",
            "CURRENT_TIME(3)|CURRENT_TIME|3|TIME WITH TIME ZONE(3)",
            "LOCALTIME|LOCALTIME|-1|TIME(0)",
            "LOCALTIME(6)|LOCALTIME|6|TIME(6)",
            "CURTIME()|LOCALTIME|-1|TIME(0)",
    })
    void literalHasTheFunctionsType(String function, TimeFunction fn, int precision, String expectedType) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:types;TIME ZONE=UTC");
                Statement st = c.createStatement()) {
            assertThat(typeOf(st, function)).isEqualTo(expectedType);
            assertThat(typeOf(st, fn.literal(STAMP, precision))).isEqualTo(expectedType);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SYSDATE()|SYSDATE|-1|TIMESTAMP(0)",
            "SYSTIMESTAMP|SYSTIMESTAMP|-1|TIMESTAMP WITH TIME ZONE(6)",
            "SYSTIMESTAMP(3)|SYSTIMESTAMP|3|TIMESTAMP WITH TIME ZONE(3)",
            "TODAY()|CURRENT_DATE|-1|DATE(0)",
    })
    void legacyModeFunctions(String function, TimeFunction fn, int precision, String expectedType) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:legacy;MODE=LEGACY;TIME ZONE=UTC");
                Statement st = c.createStatement()) {
            String call = function.endsWith(")") || function.equals("SYSTIMESTAMP") ? function : function;
            if (function.equals("SYSTIMESTAMP")) {
                call = "SYSTIMESTAMP()";
            }
            assertThat(typeOf(st, call)).isEqualTo(expectedType);
            assertThat(typeOf(st, fn.literal(STAMP, precision))).isEqualTo(expectedType);
        }
    }

    @Test
    void rewrittenCurrentTimestampReadsBackAsTheStamp() throws Exception {
        StatementGuard guard = new StatementGuard();
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:stamp");
                Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE 'UTC'");
            st.execute("CREATE TABLE T (ID INT PRIMARY KEY, TSZ TIMESTAMP WITH TIME ZONE, TS TIMESTAMP(3), D DATE)");
            GuardResult r = guard.checkWrite(
                    "INSERT INTO T VALUES (1, CURRENT_TIMESTAMP, LOCALTIMESTAMP(3), CURRENT_DATE)", STAMP);
            assertThat(r.accepted()).isTrue();
            st.execute(r.sql());
            try (ResultSet rs = st.executeQuery("SELECT TSZ, TS, D FROM T")) {
                rs.next();
                assertThat(rs.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(Instant.ofEpochMilli(STAMP));
                assertThat(rs.getObject(2, java.time.LocalDateTime.class))
                        .isEqualTo(java.time.LocalDateTime.ofInstant(Instant.ofEpochMilli(STAMP), ZoneOffset.UTC));
                assertThat(rs.getObject(3, java.time.LocalDate.class)).isEqualTo(java.time.LocalDate.of(2026, 11, 27));
            }
        }
    }

    @Test
    void roundingMatchesH2() {
        long stamp = Instant.parse("2026-12-31T23:59:59.999Z").toEpochMilli();
        assertThat(TimeFunction.CURRENT_TIMESTAMP.literal(stamp, 2))
                .isEqualTo("CAST(TIMESTAMP WITH TIME ZONE '2027-01-01 00:00:00.00+00:00' AS TIMESTAMP(2) WITH TIME ZONE)");
        assertThat(TimeFunction.SYSDATE.literal(stamp, -1)).isEqualTo("CAST(TIMESTAMP '2026-12-31 23:59:59' AS TIMESTAMP(0))");
        assertThat(TimeFunction.CURRENT_DATE.literal(stamp, -1)).isEqualTo("DATE '2026-12-31'");
        assertThat(TimeFunction.LOCALTIME.literal(stamp, 0)).isEqualTo("CAST(TIME '23:59:59' AS TIME(0))");
        assertThat(TimeFunction.LOCALTIME.literal(stamp, 2)).isEqualTo("CAST(TIME '23:59:59.99' AS TIME(2))");
    }
}
