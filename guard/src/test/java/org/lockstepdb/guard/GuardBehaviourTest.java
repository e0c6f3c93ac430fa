package org.lockstepdb.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class GuardBehaviourTest {
    private final StatementGuard guard = new StatementGuard();

    @Test
    void calciteReadsPlainDmlAndAgreesWithTheTokens() {
        for (String sql : List.of("INSERT INTO t (a, b) VALUES (UPPER(?), CURRENT_TIMESTAMP)",
                "UPDATE t SET a = LOWER(a)\r\n\tWHERE b = ABS(?) /* c */",
                "DELETE FROM t WHERE a IN (SELECT v FROM s WHERE n > COALESCE(?, 0))",
                "INSERT INTO t (a) SELECT CONCAT(v, '😀') FROM s WHERE n = MOD(?, 2)")) {
            Plan plan = guard.plan(sql, Analyzer.Mode.WRITE);
            assertThat(plan.rejection()).as(sql).isNull();
            assertThat(plan.path()).as(sql).isEqualTo("calcite+tokens");
        }
        assertThat(guard.plan("SELECT a, COUNT(*) FROM t GROUP BY a ORDER BY 2 DESC", Analyzer.Mode.READ).path())
                .isEqualTo("calcite+tokens");
    }

    @Test
    void statementsNestedBeyondTheLimitsAreRejectedBeforeCalciteOrH2RecurseIntoThem() {
        int depth = org.lockstepdb.protocol.StatementLimits.MAX_NESTING_DEPTH;
        for (Analyzer.Mode mode : Analyzer.Mode.values()) {
            String head = mode == Analyzer.Mode.WRITE ? "INSERT INTO t (a) VALUES " : "SELECT ";
            Plan deep = guard.plan(head + "(".repeat(10_000) + "1" + ")".repeat(10_000), mode);
            assertThat(deep.rejection()).as("%s", mode).isNotNull();
            assertThat(deep.rejection().sqlState()).isEqualTo("54L02");
            assertThat(deep.rejection().message()).contains("nested more than " + depth);
            Plan chain = guard.plan(head + "(1" + " OR 1 = 1".repeat(600) + ")", mode);
            assertThat(chain.rejection()).as("%s", mode).isNotNull();
            assertThat(chain.rejection().message()).contains("more than 1000 operators");
            Plan atLimit = guard.plan(head + "(".repeat(depth) + "1" + "+1".repeat(999) + ")".repeat(depth), mode);
            assertThat(atLimit.rejection()).as("%s", mode).isNull();
        }
    }

    @Test
    void transactionOperationsAreWritesThatMayBeQueriesAndLockNothing() {
        String forUpdate = "SELECT v FROM counter WHERE id = 1 FOR UPDATE";
        assertThat(guard.checkRead(forUpdate).accepted()).isFalse();
        assertThat(guard.checkWrite(forUpdate, 1000L).accepted()).isFalse();
        GuardResult inTx = guard.checkInTransaction(forUpdate, 1000L);
        assertThat(inTx.accepted()).isTrue();
        assertThat(inTx.sql()).isEqualTo(forUpdate);
        // time functions become the transaction's stamp, in queries too: the commit re-runs them
        assertThat(guard.checkInTransaction("SELECT CURRENT_TIMESTAMP(3)", 1000L).sql())
                .contains("'1970-01-01 00:00:01.000+00:00'");
        assertThat(guard.checkInTransaction("UPDATE t SET ts = CURRENT_TIMESTAMP(3) WHERE id = 1", 2000L).sql())
                .contains("'1970-01-01 00:00:02.000+00:00'");
        // the row order must be fixed, as in a write: every replica compares the rows the query returned
        assertThat(guard.checkInTransaction("SELECT id FROM t LIMIT 1", 1000L).rejection().sqlState())
                .isEqualTo(guard.checkWrite("INSERT INTO s SELECT id FROM t LIMIT 1", 1000L).rejection().sqlState());
        assertThat(guard.checkInTransaction("SELECT * FROM INFORMATION_SCHEMA.TABLES", 1000L).accepted()).isFalse();
        assertThat(guard.checkInTransaction("EXPLAIN SELECT 1", 1000L).accepted()).isFalse();
        // a cached read verdict is not a transaction verdict
        assertThat(guard.checkRead(forUpdate).accepted()).isFalse();
    }

    @Test
    void reservedWordColumnsFallBackToTheTokenPath() {
        Plan plan = guard.plan("INSERT INTO ev (id, date, time, count, position) VALUES (1, CURRENT_DATE, ?, ?, ?)",
                Analyzer.Mode.WRITE);
        assertThat(plan.rejection()).isNull();
        assertThat(plan.path()).isEqualTo("tokens");
        assertThat(plan.classification()).isEqualTo("rewritten");
    }

    @Test
    void cachedRewriteFormatsTheNewStamp() {
        String sql = "INSERT INTO t (ts) VALUES (CURRENT_TIMESTAMP(3))";
        GuardResult first = guard.checkWrite(sql, 0L);
        GuardResult second = guard.checkWrite(sql, 1000L);
        assertThat(first.sql()).contains("'1970-01-01 00:00:00.000+00:00'");
        assertThat(second.sql()).contains("'1970-01-01 00:00:01.000+00:00'");
        assertThat(guard.cachedEntries()).isEqualTo(1);
    }

    @Test
    void sameStampForEveryFunctionOfAStatement() {
        GuardResult r = guard.checkWrite("INSERT INTO t (a, b, c) VALUES (CURRENT_TIMESTAMP, NOW(), CURRENT_TIME)", 5L);
        assertThat(r.sql()).contains("00:00:00.005000+00:00").contains("'1970-01-01 00:00:00.005000'")
                .contains("'00:00:00+00:00'");
    }

    @Test
    void writeAndReadVerdictsAreCachedSeparately() {
        String sql = "SELECT NEXT VALUE FOR s";
        assertThat(guard.checkRead(sql).rejection().sqlState()).isEqualTo(GuardCodes.WRONG_CLASS);
        assertThat(guard.checkWrite(sql, 0).accepted()).isTrue(); // a query that writes: the log draws the value
        assertThat(guard.checkWrite(sql, 0).kind()).isEqualTo(org.lockstepdb.protocol.sql.StatementKind.WRITING_QUERY);
        assertThat(guard.checkRead("SELECT CURRENT_TIMESTAMP").sql()).isEqualTo("SELECT CURRENT_TIMESTAMP");
    }

    @Test
    void cacheIsBounded() {
        StatementGuard small = new StatementGuard(64, true);
        for (int i = 0; i < 1000; i++) {
            small.checkWrite("INSERT INTO t VALUES (" + i + ")", 0);
        }
        assertThat(small.cachedEntries()).isLessThanOrEqualTo(64);
    }

    @Test
    void oversizedStatementsAreRejected() {
        String sql = "INSERT INTO t VALUES ('" + "x".repeat(StatementGuard.MAX_SQL_CHARS) + "')";
        assertThat(guard.checkWrite(sql, 0).rejection().sqlState()).isEqualTo(GuardCodes.TOO_LONG);
    }

    @Test
    void concurrentCallersGetTheSameVerdicts() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<GuardResult>>> futures = new ArrayList<>();
            for (int th = 0; th < 4; th++) {
                futures.add(pool.submit(() -> {
                    List<GuardResult> out = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        out.add(guard.checkWrite("INSERT INTO t (a, ts) VALUES (" + (i % 50) + ", CURRENT_DATE)", 0L));
                        out.add(guard.checkWrite("INSERT INTO t VALUES (FILE_READ('" + (i % 50) + "'))", 0L));
                    }
                    return out;
                }));
            }
            List<GuardResult> reference = futures.get(0).get();
            for (Future<List<GuardResult>> f : futures) {
                assertThat(f.get()).isEqualTo(reference);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void everyRejectionCarriesADocumentedState() {
        for (String sql : List.of("DROP ALL OBJECTS", "SET X 1", "COMMIT", "SELECT 1", "X", "INSERT INTO t VALUES (1);x")) {
            String state = guard.checkWrite(sql, 0).rejection().sqlState();
            assertThat(GuardCodes.vendorCode(state)).isPositive();
            assertThat(state).matches("[0-9A-Z]{5}");
        }
    }
}
