package org.lockstepdb.protocol.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.GeneratedKeyRequest;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

class StatementClassifierTest {
    private static SqlKind coarse(String sql) {
        return StatementClassifier.classify(sql).coarse();
    }

    @Test
    void coarseKindsFollowTheFirstKeyword() {
        assertThat(coarse("  select 1")).isEqualTo(SqlKind.QUERY);
        assertThat(coarse("/* c */ -- x\n (SELECT 1)")).isEqualTo(SqlKind.QUERY);
        assertThat(coarse("WITH a AS (SELECT 1) SELECT * FROM a")).isEqualTo(SqlKind.QUERY);
        assertThat(coarse("insert into t values (1)")).isEqualTo(SqlKind.DML);
        assertThat(coarse("MERGE INTO t KEY(id) VALUES (1)")).isEqualTo(SqlKind.DML);
        assertThat(coarse("create table t(a int)")).isEqualTo(SqlKind.DDL);
        assertThat(coarse("ALTER TABLE t ADD b INT")).isEqualTo(SqlKind.DDL);
        assertThat(coarse("SET MODE MySQL")).isEqualTo(SqlKind.OTHER);
        assertThat(coarse("")).isEqualTo(SqlKind.OTHER);
        // H2 nests block comments and knows // comments: what follows a nested comment is the statement
        assertThat(coarse("/* /* */ INSERT */ CREATE TABLE b (x INT)")).isEqualTo(SqlKind.DDL);
        assertThat(coarse("// INSERT\nDROP TABLE b")).isEqualTo(SqlKind.DDL);
        // refused statements keep their coarse kind (storage's last-line checks use it)
        assertThat(coarse("CREATE ALIAS f FOR 'java.lang.Math.abs'")).isEqualTo(SqlKind.DDL);
        assertThat(coarse("SHOW TABLES")).isEqualTo(SqlKind.QUERY);
        assertThat(coarse("COMMIT")).isEqualTo(SqlKind.OTHER);
    }

    @Test
    void acceptedKindsAndRefusals() {
        assertThat(StatementClassifier.classify("(SELECT 1) UNION (SELECT 2)").kind()).isEqualTo(StatementKind.QUERY);
        assertThat(StatementClassifier.classify("EXPLAIN SELECT 1").isQuery()).isTrue();
        assertThat(StatementClassifier.classify("EXPLAIN SELECT 1").explainAt()).isZero();
        assertThat(StatementClassifier.classify("CREATE UNIQUE INDEX i ON t(a)").kind())
                .isEqualTo(StatementKind.CREATE_INDEX);
        assertThat(StatementClassifier.classify("INSERT INTO t VALUES (';')").kind()).isEqualTo(StatementKind.INSERT);
        assertThat(StatementClassifier.classify("INSERT INTO t VALUES (';')").isQuery()).isFalse();
        assertThat(StatementClassifier.classify("SELECT 1; SELECT 2").refusal().sqlState())
                .isEqualTo(SqlRefusal.MULTI_STATEMENT);
        assertThat(StatementClassifier.classify("SELECT 1;").kind()).isEqualTo(StatementKind.QUERY);
        assertThat(StatementClassifier.classify("COMMIT").refusal().sqlState())
                .isEqualTo(SqlRefusal.TRANSACTION_CONTROL);
        assertThat(StatementClassifier.classify("SET MODE MySQL").refusal().sqlState())
                .isEqualTo(SqlRefusal.SET_STATEMENT);
        assertThat(StatementClassifier.classify("WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a").refusal()
                .sqlState()).isEqualTo(SqlRefusal.NOT_UNDERSTOOD);
        assertThat(StatementClassifier.classify("SELECT 'open").refusal().getMessage())
                .contains("unterminated string literal at line 1, column 8");
        assertThat(StatementClassifier.classify("EXPLAIN INSERT INTO t VALUES 1").refusal().sqlState())
                .isEqualTo(SqlRefusal.WRONG_CLASS);
    }

    @Test
    void queriesOfTheCatalogAreToldApart() {
        for (String sql : List.of("SELECT * FROM INFORMATION_SCHEMA.TABLES", "select count(*) from information_schema.columns",
                "SELECT * FROM \"INFORMATION_SCHEMA\".\"SCHEMATA\"", "SELECT a FROM t WHERE a IN (SELECT 1 FROM "
                        + "INFORMATION_SCHEMA.TABLES)")) {
            assertThat(StatementClassifier.classify(sql).readsCatalog()).as(sql).isTrue();
        }
        for (String sql : List.of("SELECT 'INFORMATION_SCHEMA' FROM t", "SELECT * FROM t /* INFORMATION_SCHEMA */",
                "DELETE FROM t WHERE a IN (SELECT 1 FROM INFORMATION_SCHEMA.TABLES)", "SELECT * FROM tables")) {
            assertThat(StatementClassifier.classify(sql).readsCatalog()).as(sql).isFalse();
        }
    }

    @Test
    void ddlIsSentAlone() {
        SqlStatement ddl = SqlStatement.of("CREATE TABLE t(a INT)");
        SqlStatement dml = SqlStatement.of("INSERT INTO t VALUES 1");
        assertThat(DdlAlone.check(List.of(ddl), i -> true)).isEmpty();
        assertThat(DdlAlone.check(List.of(dml, dml), i -> false)).isEmpty();
        assertThat(DdlAlone.check(List.of(dml, ddl), i -> i == 1)).hasValueSatisfying(e -> {
            assertThat(e.sqlState()).isEqualTo("0A000");
            assertThat(e.message()).contains("DDL statements must be sent alone").contains("(statement 2 of the batch; nothing was applied)");
        });
        SqlStatement twice = new SqlStatement("CREATE TABLE c(id INT DEFAULT ?)",
                List.of(List.of(Value.of(ValueType.INTEGER, 1)), List.of(Value.of(ValueType.INTEGER, 2))), GeneratedKeyRequest.NONE);
        assertThat(DdlAlone.check(List.of(twice), i -> true)).isPresent();
    }

    private static StatementKind kind(String sql) {
        return StatementClassifier.classify(sql).kind();
    }

    @Test
    void queriesThatDrawSequenceValuesOrChangeRowsAreWritesThatReturnRows() {
        for (String sql : List.of("SELECT NEXT VALUE FOR s", "select next value for app.s", "VALUES NEXT VALUE FOR s",
                "CALL NEXT VALUE FOR s", "SELECT NEXT VALUE FOR s FROM SYSTEM_RANGE(1, 5)", "SELECT NEXTVAL('S')",
                "SELECT id, 1 + NEXT VALUE FOR s AS n FROM t WHERE a > ?",
                "SELECT * FROM FINAL TABLE (INSERT INTO t(v) VALUES ('a'))",
                "SELECT id FROM NEW TABLE (UPDATE t SET v = 'b' WHERE id = 1)",
                "SELECT * FROM OLD TABLE (DELETE FROM t WHERE id = 1)",
                "SELECT * FROM old table (merge INTO t KEY(id) VALUES (1, 'm'))",
                "WITH x AS (SELECT * FROM FINAL TABLE (INSERT INTO t VALUES 1)) SELECT * FROM x",
                "(SELECT (SELECT id FROM FINAL TABLE (INSERT INTO t(v) VALUES ('q'))))")) {
            Classification c = StatementClassifier.classify(sql);
            assertThat(c.kind()).as(sql).isEqualTo(StatementKind.WRITING_QUERY);
            assertThat(c.isQuery()).as(sql + " goes the write path").isFalse();
            assertThat(c.returnsRows()).as(sql).isTrue();
            assertThat(c.coarse()).as(sql).isEqualTo(SqlKind.DML);
            assertThat(c.isDdl()).isFalse();
        }
    }

    @Test
    void queriesThatOnlyReadStayOnTheReadPath() {
        for (String sql : List.of("SELECT 1", "CALL 1 + 1", "SELECT \"NEXT\" FROM t",
                "SELECT next_value FROM t", "SELECT t.next FROM t", "SELECT * FROM final_table",
                "SELECT 'NEXT VALUE FOR s' FROM t", "SELECT 1 /* NEXT VALUE FOR s */",
                "SELECT * FROM TABLE(x INT = (1, 2))", "SELECT \"FINAL\" FROM t",
                "SELECT BASE_VALUE FROM INFORMATION_SCHEMA.SEQUENCES")) {
            Classification c = StatementClassifier.classify(sql);
            assertThat(c.kind()).as(sql).isEqualTo(StatementKind.QUERY);
            assertThat(c.isQuery()).as(sql).isTrue();
            assertThat(c.returnsRows()).as(sql).isTrue();
        }
        for (String sql : List.of("INSERT INTO t VALUES (NEXT VALUE FOR s)", "UPDATE t SET a = NEXTVAL('s')",
                "INSERT INTO t SELECT * FROM FINAL TABLE (INSERT INTO u VALUES 1)")) {
            Classification c = StatementClassifier.classify(sql);
            assertThat(c.returnsRows()).as(sql).isFalse();
            assertThat(c.isQuery()).as(sql).isFalse();
        }
        assertThat(kind("INSERT INTO t VALUES (NEXT VALUE FOR s)")).isEqualTo(StatementKind.INSERT);
        // EXPLAIN of a query that writes: refused on both paths (a write refuses EXPLAIN, a read anything that writes)
        Classification explain = StatementClassifier.classify("EXPLAIN SELECT NEXT VALUE FOR s");
        assertThat(explain.kind()).isEqualTo(StatementKind.WRITING_QUERY);
        assertThat(explain.explainAt()).isZero();
        assertThat(StatementClassifier.classify("EXECUTE p").refusal().sqlState()).isEqualTo(SqlRefusal.FORBIDDEN);
        assertThat(StatementClassifier.classify("CALL").refusal().sqlState()).isEqualTo(SqlRefusal.NOT_UNDERSTOOD);
        // a refused text answers by its first word
        assertThat(StatementClassifier.classify("SHOW TABLES").returnsRows()).isTrue();
        assertThat(StatementClassifier.classify("COMMIT").returnsRows()).isFalse();
    }
}
