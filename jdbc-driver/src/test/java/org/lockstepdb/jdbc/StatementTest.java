package org.lockstepdb.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.GeneratedKeyRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;

class StatementTest {
    private FakeChannel channel;
    private LockstepConnection conn;

    @BeforeEach
    void setUp() throws SQLException {
        channel = new FakeChannel();
        conn = new LockstepConnection(ConnectionUrl.parse("jdbc:lockstep://h:1?maxRows=50"), channel);
    }

    private static ResultData oneInt(int v) {
        ColumnMeta c = new ColumnMeta("X", "X", "", "", ValueType.INTEGER, Types.INTEGER, "INTEGER", 32, 0, 1);
        return new ResultData(List.of(c), List.of(List.of(Value.of(ValueType.INTEGER, v))));
    }

    @Test
    void aWriteGetsTimeoutMsOrTheSmallerQueryTimeoutAsItsDeadline() throws SQLException {
        Statement st = conn.createStatement();
        st.executeUpdate("INSERT INTO T VALUES (1)");
        st.setQueryTimeout(3);
        st.executeUpdate("INSERT INTO T VALUES (2)");
        st.setQueryTimeout(3600); // larger than timeoutMs: timeoutMs stays the bound
        st.executeUpdate("INSERT INTO T VALUES (3)");
        PreparedStatement ps = conn.prepareStatement("INSERT INTO T VALUES (?)");
        ps.setQueryTimeout(1);
        ps.setInt(1, 4);
        ps.executeUpdate();
        assertThat(channel.writeBudgets).containsExactly(10_000L, 3_000L, 10_000L, 1_000L);
    }

    @Test
    void queriesGoTheReadPathWritesTheLog() throws SQLException {
        Statement st = conn.createStatement();
        channel.replies.add(new QueryResult(5, oneInt(7)));
        assertThat(st.execute("  /* c */ (SELECT 7)")).isTrue();
        ResultSet rs = st.getResultSet();
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(7);
        assertThat(rs.getStatement()).isSameAs(st);
        assertThat(st.getUpdateCount()).isEqualTo(-1);
        assertThat(channel.queries).hasSize(1);
        assertThat(channel.queries.get(0).request().maxRows()).isEqualTo(50);
        assertThat(channel.queries.get(0).consistency()).isEqualTo(ReadConsistency.LINEARIZABLE);

        assertThat(st.execute("INSERT INTO T VALUES (1)")).isFalse();
        assertThat(rs.isClosed()).isTrue();
        assertThat(st.getUpdateCount()).isEqualTo(1);
        assertThat(st.getResultSet()).isNull();
        assertThat(st.getMoreResults()).isFalse();
        assertThat(st.getUpdateCount()).isEqualTo(-1);
        assertThat(channel.writes).hasSize(1);
        assertThat(channel.writes.get(0)).isEqualTo(WriteRequest.of(List.of(SqlStatement.of("INSERT INTO T VALUES (1)"))));
        assertThat(conn.unwrap(LockstepConnection.class).lastWriteIndex()).isEqualTo(10);

        assertThat(st.executeUpdate("CREATE TABLE U(A INT)")).isEqualTo(1);
        assertThat(conn.lastWriteIndex()).isEqualTo(11);
    }

    @Test
    void wrongExecuteMethod() throws SQLException {
        Statement st = conn.createStatement();
        assertThatThrownBy(() -> st.executeQuery("INSERT INTO T VALUES (1)"))
                .hasMessageContaining("only allowed for a query")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("90002");
        assertThatThrownBy(() -> st.executeUpdate("SELECT 1"))
                .hasMessageContaining("not allowed for a query")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("90001");
        assertThat(channel.writes).isEmpty();
        assertThat(channel.queries).isEmpty();
    }

    @Test
    void aTextTheClassifierRefusesGetsItsRefusalWhicheverMethodSentIt() throws SQLException {
        Statement st = conn.createStatement();
        assertThatThrownBy(() -> st.executeQuery("SCRIPT")).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("42L01");
        assertThatThrownBy(() -> st.executeQuery("/* */")).extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("42L00");
        assertThatThrownBy(() -> st.executeUpdate("WITH x AS (SELECT 1) DELETE FROM t"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42L00");
        assertThat(channel.writes).isEmpty();
        assertThat(channel.queries).isEmpty();
    }

    @Test
    void aQueryThatWritesGoesThroughTheLogAndReturnsItsRows() throws SQLException {
        Statement st = conn.createStatement();
        channel.replies.add(new WriteResult(12, List.of(new StatementResult(List.of(-1L), null, oneInt(7)))));
        ResultSet rs = st.executeQuery("SELECT NEXT VALUE FOR S");
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(7);
        assertThat(channel.writes).hasSize(1);
        assertThat(channel.queries).isEmpty();
        assertThat(conn.lastWriteIndex()).isEqualTo(12);

        channel.replies.add(new WriteResult(13, List.of(new StatementResult(List.of(-1L), null, oneInt(8)))));
        PreparedStatement ps = conn.prepareStatement("SELECT * FROM FINAL TABLE (INSERT INTO T VALUES (?))");
        ps.setInt(1, 8);
        assertThat(ps.execute()).isTrue();
        assertThat(ps.getUpdateCount()).isEqualTo(-1);
        assertThat(ps.getResultSet().next()).isTrue();
        assertThat(channel.writes.get(1).statements().get(0).parameterSets()).hasSize(1);

        // as H2's driver: executeUpdate and batches refuse a statement with a result set, and send nothing
        assertThatThrownBy(() -> st.executeUpdate("SELECT NEXT VALUE FOR S"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("90001");
        assertThatThrownBy(ps::executeUpdate).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("90001");
        assertThatThrownBy(ps::addBatch).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("90001");
        st.addBatch("SELECT * FROM OLD TABLE (DELETE FROM T)");
        assertThatThrownBy(st::executeBatch).isInstanceOf(java.sql.BatchUpdateException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("90001");
        assertThat(channel.writes).hasSize(2);
    }

    @Test
    void statementBatchIsOneWriteRequest() throws SQLException {
        Statement st = conn.createStatement();
        st.addBatch("INSERT INTO T VALUES (1)");
        st.addBatch("UPDATE T SET A = 2");
        st.addBatch("DELETE FROM T WHERE A = 3");
        channel.replies.add(new WriteResult(42, List.of(
                new StatementResult(List.of(1L), null),
                new StatementResult(List.of(5L), null),
                new StatementResult(List.of(0L), null))));
        assertThat(st.executeBatch()).containsExactly(1, 5, 0);
        assertThat(channel.writes).hasSize(1);
        assertThat(channel.writes.get(0).statements()).containsExactly(
                SqlStatement.of("INSERT INTO T VALUES (1)"),
                SqlStatement.of("UPDATE T SET A = 2"),
                SqlStatement.of("DELETE FROM T WHERE A = 3"));
        assertThat(conn.lastWriteIndex()).isEqualTo(42);
        assertThat(st.executeBatch()).isEmpty();
        assertThat(channel.writes).hasSize(1);
    }

    @Test
    void failedBatchIsBatchUpdateExceptionWithNothingApplied() throws SQLException {
        Statement st = conn.createStatement();
        st.addBatch("INSERT INTO T VALUES (1)");
        st.addBatch("INSERT INTO T VALUES (1)");
        channel.replies.add(new ErrorReply("23505", 23505, "Unique index violation"));
        assertThatThrownBy(st::executeBatch).isInstanceOf(BatchUpdateException.class)
                .hasMessageContaining("Unique index")
                .satisfies(e -> {
                    BatchUpdateException b = (BatchUpdateException) e;
                    assertThat(b.getSQLState()).isEqualTo("23505");
                    assertThat(b.getUpdateCounts()).isEmpty();
                    assertThat(b.getCause()).isInstanceOf(SQLIntegrityConstraintViolationException.class);
                });
        st.addBatch("SELECT 1");
        assertThatThrownBy(st::executeBatch).isInstanceOf(BatchUpdateException.class);
    }

    @Test
    void preparedBatchIsOneStatementWithManyParameterSets() throws SQLException {
        PreparedStatement ps = conn.prepareStatement("INSERT INTO T(A, B) VALUES (?, ?)");
        for (int i = 0; i < 3; i++) {
            ps.setInt(1, i);
            ps.setString(2, "v" + i);
            ps.addBatch();
        }
        assertThat(ps.executeBatch()).containsExactly(1, 1, 1);
        assertThat(channel.writes).hasSize(1);
        WriteRequest w = channel.writes.get(0);
        assertThat(w.statements()).hasSize(1);
        SqlStatement s = w.statements().get(0);
        assertThat(s.sql()).isEqualTo("INSERT INTO T(A, B) VALUES (?, ?)");
        assertThat(s.parameterSets()).containsExactly(
                List.of(Value.of(ValueType.INTEGER, 0), Value.of(ValueType.VARCHAR, "v0")),
                List.of(Value.of(ValueType.INTEGER, 1), Value.of(ValueType.VARCHAR, "v1")),
                List.of(Value.of(ValueType.INTEGER, 2), Value.of(ValueType.VARCHAR, "v2")));
        assertThat(s.generatedKeys()).isEqualTo(GeneratedKeyRequest.NONE);
        assertThatThrownBy(() -> ps.addBatch("INSERT INTO X VALUES (1)")).isInstanceOf(SQLException.class);
    }

    @Test
    void preparedParametersAndMissingOnes() throws SQLException {
        PreparedStatement ps = conn.prepareStatement(
                "UPDATE T SET A = ?, B = '?', \"C?\" = ? -- ?\n WHERE D = ? /* ? */");
        assertThat(ps.getParameterMetaData().getParameterCount()).isEqualTo(3);
        ps.setLong(1, 5L);
        ps.setNull(3, Types.VARCHAR);
        assertThatThrownBy(ps::executeUpdate).hasMessageContaining("Parameter 2")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("07001");
        assertThatThrownBy(() -> ps.setInt(4, 1)).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("07009");
        ps.setObject(2, Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(ps.executeUpdate()).isEqualTo(1);
        assertThat(channel.writes.get(0).statements().get(0).parameterSets().get(0)).containsExactly(
                Value.of(ValueType.BIGINT, 5L),
                Value.of(ValueType.TIMESTAMP_WITH_TIME_ZONE, Instant.parse("2024-01-01T00:00:00Z").atOffset(ZoneOffset.UTC)),
                Value.NULL);
        ps.clearParameters();
        assertThatThrownBy(ps::execute).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("07001");
        assertThatThrownBy(() -> ps.executeUpdate("DELETE FROM T")).isInstanceOf(SQLException.class);
    }

    @Test
    void preparedSettersProduceTypedValues() throws SQLException {
        PreparedStatement ps = conn.prepareStatement("INSERT INTO T VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        ps.setBoolean(1, true);
        ps.setByte(2, (byte) 1);
        ps.setShort(3, (short) 2);
        ps.setFloat(4, 1.5f);
        ps.setDouble(5, 2.5);
        ps.setBigDecimal(6, new BigDecimal("3.30"));
        ps.setBytes(7, new byte[] {1});
        ps.setDate(8, java.sql.Date.valueOf("2024-05-06"));
        ps.setTimestamp(9, Timestamp.valueOf("2024-05-06 07:08:09"));
        ps.setObject(10, UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        ps.setBlob(11, new ByteArrayInputStream(new byte[] {7}));
        ps.setClob(12, new StringReader("clob"));
        ps.setBinaryStream(13, new ByteArrayInputStream(new byte[] {1, 2, 3}), 2);
        ps.setCharacterStream(14, new StringReader("chars"));
        ps.setObject(15, "5", Types.INTEGER);
        ps.setObject(16, LocalDate.of(2024, 1, 1));
        ps.execute();
        List<Value> p = channel.writes.get(0).statements().get(0).parameterSets().get(0);
        assertThat(p).extracting(Value::type).containsExactly(ValueType.BOOLEAN, ValueType.TINYINT,
                ValueType.SMALLINT, ValueType.REAL, ValueType.DOUBLE, ValueType.DECIMAL, ValueType.VARBINARY,
                ValueType.DATE, ValueType.TIMESTAMP, ValueType.UUID, ValueType.BLOB, ValueType.CLOB,
                ValueType.VARBINARY, ValueType.VARCHAR, ValueType.INTEGER, ValueType.DATE);
        assertThat(p.get(8).value()).isEqualTo(LocalDateTime.of(2024, 5, 6, 7, 8, 9));
        assertThat((byte[]) p.get(12).value()).containsExactly(1, 2);
    }

    @Test
    void generatedKeys() throws SQLException {
        ColumnMeta c = new ColumnMeta("ID", "ID", "PUBLIC", "T", ValueType.BIGINT, Types.BIGINT, "BIGINT", 64, 0, 0);
        ResultData keys = new ResultData(List.of(c), List.of(List.of(Value.of(ValueType.BIGINT, 100L))));
        channel.replies.add(new WriteResult(3, List.of(new StatementResult(List.of(1L), keys))));
        PreparedStatement ps = conn.prepareStatement("INSERT INTO T(V) VALUES (?)", Statement.RETURN_GENERATED_KEYS);
        ps.setString(1, "x");
        ps.executeUpdate();
        assertThat(channel.writes.get(0).statements().get(0).generatedKeys()).isEqualTo(GeneratedKeyRequest.TABLE_KEYS);
        ResultSet rs = ps.getGeneratedKeys();
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong("id")).isEqualTo(100L);

        Statement st = conn.createStatement();
        st.executeUpdate("INSERT INTO T(V) VALUES ('y')", new String[] {"ID"});
        assertThat(channel.writes.get(1).statements().get(0).generatedKeys())
                .isEqualTo(GeneratedKeyRequest.columns(List.of("ID")));
        assertThat(st.getGeneratedKeys().next()).isFalse();
    }

    @Test
    void staleReadsPassTheLastWriteIndex() throws SQLException {
        LockstepConnection stale = new LockstepConnection(
                ConnectionUrl.parse("jdbc:lockstep://h:1?read=stale"), channel);
        Statement st = stale.createStatement();
        st.executeQuery("SELECT 1");
        st.executeUpdate("INSERT INTO T VALUES (1)");
        st.executeQuery("SELECT 1");
        assertThat(channel.queries).extracting(FakeChannel.QueryCall::minIndex).containsExactly(0L, 10L);
        assertThat(channel.queries).extracting(FakeChannel.QueryCall::consistency)
                .containsOnly(ReadConsistency.STALE);
        assertThat(stale.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);

        LockstepConnection noRyw = new LockstepConnection(
                ConnectionUrl.parse("jdbc:lockstep://h:1?read=stale&readYourWrites=false"), channel);
        noRyw.createStatement().executeUpdate("INSERT INTO T VALUES (1)");
        noRyw.createStatement().executeQuery("SELECT 1");
        assertThat(channel.queries.get(2).minIndex()).isZero();
    }

    @Test
    void errorsSurfaceAsMappedSqlExceptions() throws SQLException {
        channel.replies.add(new ErrorReply("42S02", 42102, "Table \"NOPE\" not found"));
        assertThatThrownBy(() -> conn.createStatement().executeQuery("SELECT * FROM NOPE"))
                .isInstanceOf(java.sql.SQLSyntaxErrorException.class)
                .hasMessage("Table \"NOPE\" not found");
    }

    @Test
    void connectionBehaviour() throws SQLException {
        assertThat(conn.getAutoCommit()).isTrue();
        conn.setAutoCommit(true);
        assertThatThrownBy(conn::commit).isInstanceOf(SQLException.class);
        assertThatThrownBy(conn::rollback).isInstanceOf(SQLException.class);
        assertThatThrownBy(conn::setSavepoint).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25000");
        conn.setAutoCommit(false);
        assertThat(conn.getAutoCommit()).isFalse();
        conn.commit(); // no transaction began: nothing to do, nothing sent
        conn.rollback();
        assertThatThrownBy(() -> conn.createStatement().executeQuery("SELECT 1")) // the fake runs no transactions
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
        conn.setAutoCommit(true);
        assertThat(conn.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        conn.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(conn.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(conn.isValid(1)).isTrue();
        assertThat(channel.queries.get(0).request().sql()).isEqualTo("SELECT 1");
        conn.setReadOnly(true);
        assertThatThrownBy(() -> conn.createStatement().executeUpdate("DELETE FROM T"))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
        conn.setReadOnly(false);
        conn.setClientInfo("ApplicationName", "test");
        assertThat(conn.getClientInfo("ApplicationName")).isEqualTo("test");
        assertThat(conn.isWrapperFor(LockstepConnection.class)).isTrue();
        Statement st = conn.createStatement(ResultSet.TYPE_SCROLL_SENSITIVE, ResultSet.CONCUR_READ_ONLY);
        assertThat(st.getResultSetType()).isEqualTo(ResultSet.TYPE_SCROLL_INSENSITIVE);
        assertThat((Throwable) conn.getWarnings()).isNotNull();
        assertThatThrownBy(() -> conn.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE))
                .isInstanceOf(SQLFeatureNotSupportedException.class);
        conn.close();
        assertThat(conn.isClosed()).isTrue();
        assertThat(st.isClosed()).isTrue();
        assertThat(channel.closed).isTrue();
        assertThat(conn.isValid(1)).isFalse();
        assertThatThrownBy(conn::createStatement).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08003");
    }

    @Test
    void databaseMetaData() throws SQLException {
        DatabaseMetaData md = conn.getMetaData();
        assertThat(md.getDatabaseProductName()).isEqualTo("H2"); // equal to embedded H2's answers: H2IdentityIT
        assertThat(md.getDatabaseProductVersion()).matches("\\d+\\.\\d+\\.\\d+ \\(\\d{4}-\\d{2}-\\d{2}\\)");
        assertThat(md.getDatabaseProductVersion()).startsWith(md.getDatabaseMajorVersion() + "."
                + md.getDatabaseMinorVersion() + ".");
        assertThat(md.getDriverName()).isEqualTo(LockstepDriver.NAME);
        assertThat(md.getDriverVersion()).isEqualTo(LockstepDriver.VERSION);
        assertThat(md.getURL()).isEqualTo("jdbc:lockstep://h:1?maxRows=50");
        assertThat(md.supportsBatchUpdates()).isTrue();
        assertThat(md.supportsTransactions()).isTrue();
        assertThat(md.supportsSavepoints()).isTrue();
        assertThat(md.getDefaultTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        assertThat(md.supportsTransactionIsolationLevel(Connection.TRANSACTION_READ_COMMITTED)).isTrue();
        assertThat(md.dataDefinitionCausesTransactionCommit()).isTrue();
        assertThat(md.getIdentifierQuoteString()).isEqualTo("\"");
        assertThat(md.getConnection()).isSameAs(conn);
        assertThat(md.getTableTypes().next()).isTrue();
        assertThat(md.getProcedures(null, null, null).next()).isFalse();

        md.getTables(null, "PUBLIC", "T%", new String[] {"TABLE", "VIEW"});
        FakeChannel.QueryCall q = channel.queries.get(channel.queries.size() - 1);
        assertThat(q.request().sql()).contains("INFORMATION_SCHEMA.TABLES").contains("TABLE_SCHEM LIKE ?")
                .contains("TABLE_TYPE IN (?, ?)");
        assertThat(q.request().parameters()).containsExactly(Value.of(ValueType.VARCHAR, "PUBLIC"),
                Value.of(ValueType.VARCHAR, "T%"), Value.of(ValueType.VARCHAR, "TABLE"),
                Value.of(ValueType.VARCHAR, "VIEW"));
        md.getColumns(null, null, "T", null);
        q = channel.queries.get(channel.queries.size() - 1);
        assertThat(q.request().sql()).contains("INFORMATION_SCHEMA.COLUMNS").contains("AS DATA_TYPE");
        assertThat(q.request().parameters()).containsExactly(Value.of(ValueType.VARCHAR, "T"));
        md.getPrimaryKeys(null, "PUBLIC", "T");
        q = channel.queries.get(channel.queries.size() - 1);
        assertThat(q.request().sql()).contains("PRIMARY KEY");
        md.getSchemas();
        assertThat(channel.queries.get(channel.queries.size() - 1).request().sql()).contains("SCHEMATA");
    }
}
