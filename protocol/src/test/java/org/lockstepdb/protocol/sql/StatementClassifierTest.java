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
    void ddlIsSentAlone() {
        SqlStatement ddl = SqlStatement.of("CREATE TABLE t(a INT)");
        SqlStatement dml = SqlStatement.of("INSERT INTO t VALUES 1");
        assertThat(DdlAlone.check(List.of(ddl), i -> true)).isEmpty();
        assertThat(DdlAlone.check(List.of(dml, dml), i -> false)).isEmpty();
        assertThat(DdlAlone.check(List.of(dml, ddl), i -> i == 1)).hasValueSatisfying(e -> {
            assertThat(e.sqlState()).isEqualTo("0A000");
            assertThat(e.message()).contains("DDL statements must be sent alone");
        });
        SqlStatement twice = new SqlStatement("CREATE TABLE c(id INT DEFAULT ?)",
                List.of(List.of(Value.of(ValueType.INTEGER, 1)), List.of(Value.of(ValueType.INTEGER, 2))), GeneratedKeyRequest.NONE);
        assertThat(DdlAlone.check(List.of(twice), i -> true)).isPresent();
    }
}
