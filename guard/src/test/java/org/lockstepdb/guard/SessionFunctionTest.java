package org.lockstepdb.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.SessionValues;

/** Session functions answer with the client connection's values, in reads and writes, whatever the cache holds. */
class SessionFunctionTest {
    private final StatementGuard guard = new StatementGuard();

    @Test
    void readsAnswerWithEachConnectionsOwnValues() {
        String sql = "SELECT USER(), CURRENT_USER, SESSION_USER, SYSTEM_USER, SCHEMA(), CURRENT_SCHEMA FROM t";
        assertThat(guard.checkRead(sql, new SessionValues("ALICE", "SALES")).sql())
                .isEqualTo("SELECT 'ALICE', 'ALICE', 'ALICE', 'ALICE', 'SALES', 'SALES' FROM t");
        // the cached plan is formatted with the second connection's values, not the first's
        assertThat(guard.checkRead(sql, new SessionValues("O'BRIEN", "")).sql())
                .isEqualTo("SELECT 'O''BRIEN', 'O''BRIEN', 'O''BRIEN', 'O''BRIEN', 'PUBLIC', 'PUBLIC' FROM t");
    }

    @Test
    void everyFormH2AcceptsWithParenthesesIsReplacedWhole() {
        assertThat(guard.checkRead("CALL current_schema()", new SessionValues("A", "S")).sql()).isEqualTo("CALL 'S'");
        assertThat(guard.checkRead("SELECT CURRENT_USER(), SESSION_USER(), CURRENT_CATALOG()", new SessionValues("A", ""))
                .sql()).isEqualTo("SELECT 'A', 'A', CURRENT_CATALOG()");
    }

    @Test
    void writesCarryTheValuesAsLiteralsAndDdlRefusesThem() {
        assertThat(guard.checkWrite("UPDATE t SET who = user() WHERE id = 1", 0, new SessionValues("BOB", "X")).sql())
                .isEqualTo("UPDATE t SET who = 'BOB' WHERE id = 1");
        GuardResult ddl = guard.checkWrite("CREATE TABLE u (who VARCHAR DEFAULT USER())", 0, SessionValues.DEFAULT);
        assertThat(ddl.accepted()).isFalse();
        assertThat(ddl.rejection().message()).contains("USER");
    }

    @Test
    void transactionOperationsCarryTheConnectionsValuesLikeWrites() {
        String sql = "SELECT USER(), CURRENT_SCHEMA FROM t WHERE id = 1 FOR UPDATE";
        assertThat(guard.checkInTransaction(sql, 5, new SessionValues("BOB", "SALES")).sql())
                .isEqualTo("SELECT 'BOB', 'SALES' FROM t WHERE id = 1 FOR UPDATE");
        assertThat(guard.checkInTransaction(sql, 5, SessionValues.DEFAULT).sql())
                .isEqualTo("SELECT '', 'PUBLIC' FROM t WHERE id = 1 FOR UPDATE");
    }

    @Test
    void quotedNamesAndCreateSchemaAreNotSessionFunctions() {
        assertThat(guard.checkRead("SELECT t.\"USER\", 'USER()' FROM t", new SessionValues("BOB", "")).sql())
                .isEqualTo("SELECT t.\"USER\", 'USER()' FROM t");
        GuardResult schema = guard.checkWrite("CREATE SCHEMA IF NOT EXISTS other", 0, new SessionValues("BOB", ""));
        assertThat(schema.accepted()).isTrue();
        assertThat(schema.sql()).isEqualTo("CREATE SCHEMA IF NOT EXISTS other");
    }
}
