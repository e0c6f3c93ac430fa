package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.SessionValues;

/** The connection's user and schema travel with every request; network timeouts bound the caller's wait. */
class ConnectionSessionTest {
    @Test
    void theUserComesFromThePropertiesOrTheUrlUpperCasedAsH2() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "alice");
        assertThat(ConnectionUrl.parse("jdbc:lockstep://h:1", p).sessionUser()).isEqualTo("ALICE");
        assertThat(ConnectionUrl.parse("jdbc:lockstep://h:1?user=bob&password=x", p).sessionUser()).isEqualTo("BOB");
        assertThat(ConnectionUrl.parse("jdbc:lockstep://h:1").sessionUser()).isEmpty();
    }

    @Test
    void queriesAndWritesCarryTheSession() throws SQLException {
        FakeChannel channel = new FakeChannel();
        LockstepConnection conn = new LockstepConnection(ConnectionUrl.parse("jdbc:lockstep://h:1?user=carol"), channel);
        try (Statement st = conn.createStatement()) {
            st.executeQuery("SELECT USER()");
            st.executeUpdate("INSERT INTO t VALUES (1)");
        }
        assertThat(channel.queries.get(0).request().session()).isEqualTo(new SessionValues("CAROL", ""));
        assertThat(channel.writes.get(0).session()).isEqualTo(new SessionValues("CAROL", ""));
        assertThat(conn.getSchema()).isEqualTo("PUBLIC");
        assertThat(conn.getMetaData().getUserName()).isEqualTo("CAROL");
    }

    @Test
    void setSchemaToAMissingSchemaIsRefusedAsH2Does() throws SQLException {
        FakeChannel channel = new FakeChannel(); // answers the existence check with no rows
        LockstepConnection conn = new LockstepConnection(ConnectionUrl.parse("jdbc:lockstep://h:1"), channel);
        assertThatThrownBy(() -> conn.setSchema("NOPE")).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("90079"));
        assertThat(conn.getSchema()).isEqualTo("PUBLIC");
    }

    @Test
    void callEscapesBecomeCallStatements() throws SQLException {
        assertThat(LockstepCallableStatement.callText("{call current_schema()}")).isEqualTo("CALL current_schema()");
        assertThat(LockstepCallableStatement.callText(" { CALL f(?) } ")).isEqualTo("CALL f(?)");
        assertThat(LockstepCallableStatement.callText("call current_schema")).isEqualTo("call current_schema");
        assertThatThrownBy(() -> LockstepCallableStatement.callText("{? = call f()}"))
                .isInstanceOf(SQLFeatureNotSupportedException.class);
    }

    @Test
    void theNetworkTimeoutBoundsWritesAndQueries() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        FakeChannel hanging = new FakeChannel() {
            @Override
            public QueryResult query(QueryRequest request, ReadConsistency consistency, long minIndex) {
                try {
                    never.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("not answered");
            }
        };
        LockstepConnection conn = new LockstepConnection(ConnectionUrl.parse("jdbc:lockstep://h:1?timeoutMs=20000"),
                hanging);
        assertThat(conn.getNetworkTimeout()).isZero();
        conn.setNetworkTimeout(Runnable::run, 300);
        assertThat(conn.getNetworkTimeout()).isEqualTo(300);
        try (Statement st = conn.createStatement()) {
            st.executeUpdate("INSERT INTO t VALUES (1)");
            assertThat(hanging.writeBudgets).containsExactly(300L);
            long start = System.nanoTime();
            assertThatThrownBy(() -> st.executeQuery("SELECT 1")).isInstanceOf(SQLTimeoutException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("HYT00"));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000);
            long isValid = System.nanoTime();
            conn.setNetworkTimeout(Runnable::run, 0);
            assertThat(conn.isValid(1)).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - isValid)).isLessThan(10_000);
        } finally {
            never.countDown();
        }
        assertThat(List.of(conn.getNetworkTimeout())).containsExactly(0);
    }
}
