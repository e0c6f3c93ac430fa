package org.lockstepdb.jdbc;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

import org.lockstepdb.protocol.GeneratedKeyRequest;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;

import static org.lockstepdb.jdbc.JdbcSupport.unsupported;

/**
 * A connection to a LockstepDB cluster. In auto-commit mode every statement (or batch) is one atomic log entry;
 * with {@code setAutoCommit(false)} statements run in an interactive, strictly serializable transaction that
 * commits as one validated log entry ({@link Transactions}; 40001 when it must be retried). Queries outside
 * transactions use the URL's read consistency; with {@code read=stale} and {@code readYourWrites=true} a query is
 * never answered from state older than this connection's last write ({@link #lastWriteIndex()}).
 */
public class LockstepConnection implements Connection {
    private final ConnectionUrl url;
    private final SqlChannel channel;
    private final ClusterRequests requests;
    private final OpenStatements statements = new OpenStatements();
    private final ConnectionSession session;
    private final ClientInfo clientInfo = new ClientInfo();
    private volatile boolean closed;
    private boolean readOnly;
    private boolean autoCommit = true;
    private final Transactions transactions;
    private int holdability = ResultSet.HOLD_CURSORS_OVER_COMMIT;
    private SQLWarning warnings;

    /** A connection over any channel ({@link ClusterClient} in production, a fake in tests). */
    public LockstepConnection(ConnectionUrl url, SqlChannel channel) {
        this.url = url;
        this.channel = channel;
        this.requests = new ClusterRequests(url, channel);
        this.session = new ConnectionSession(url.sessionUser());
        this.transactions = new Transactions(channel, url, requests, System::nanoTime, () -> session.values());
    }

    /**
     * Administrative operations on the cluster this connection talks to (verify, ...). Only for connections
     * to a real cluster.
     */
    public LockstepAdmin admin() throws SQLException {
        if (!(channel instanceof ClusterClient cluster)) {
            throw new SQLFeatureNotSupportedException("admin operations need a connection to a LockstepDB cluster", "0A000");
        }
        return new LockstepAdmin(cluster);
    }

    public ConnectionUrl url() {
        return url;
    }

    /** The highest log index of a write this connection has seen acknowledged (0 if none). */
    public long lastWriteIndex() {
        return requests.lastWriteIndex();
    }

    /** The connection's read consistency. */
    public ReadConsistency readConsistency() {
        return url.read();
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw JdbcSupport.closed("Connection");
        }
    }

    // ---- the two request paths -----------------------------------------------------------------------------

    /** A write with the statement's query timeout (seconds, 0 = none) as its deadline if below {@code timeoutMs}. */
    WriteResult write(WriteRequest request, int queryTimeoutSeconds) throws SQLException {
        checkOpen();
        if (readOnly) {
            throw readOnlyRefusal();
        }
        return requests.write(request.withSession(session.values()), queryTimeoutSeconds);
    }

    private static SQLException readOnlyRefusal() {
        return new SQLException("The connection is read-only (setReadOnly(true)); writes are refused", "25006", 90097);
    }

    QueryResult query(QueryRequest request) throws SQLException {
        checkOpen();
        return requests.query(request.withSession(session.values()));
    }

    /** The user USER() reports for this connection: the URL's {@code user}, upper-cased; "" when none. */
    String sessionUser() {
        return session.user();
    }

    /** A fresh id for one query execution (at most 64 characters). */
    String nextQueryId() {
        return requests.nextQueryId();
    }

    /** Asks the cluster to stop the query running under {@code queryId} (Statement.cancel). */
    void cancelQuery(String queryId) throws SQLException {
        checkOpen();
        requests.cancelQuery(queryId);
    }

    /** Runs a query for the driver itself (metadata, isValid). */
    ResultData queryData(String sql, List<Value> parameters) throws SQLException {
        return query(new QueryRequest(sql, parameters, 0)).data();
    }

    // ---- statements ----------------------------------------------------------------------------------------

    private <S extends LockstepStatement> S register(S s) {
        statements.add(s.core);
        return s;
    }

    void statementClosed(StatementCore s) {
        statements.remove(s);
    }

    /** The result set type to use, after checking the requested type, concurrency and holdability. */
    private int checkResultSetType(int type, int concurrency, int holdability) throws SQLException {
        checkOpen();
        return ResultSetOptions.check(type, concurrency, holdability, this::addWarning);
    }

    private void addWarning(SQLWarning w) {
        if (warnings == null) {
            warnings = w;
        } else {
            warnings.setNextWarning(w);
        }
    }

    @Override
    public Statement createStatement() throws SQLException {
        return createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        return createStatement(type, concurrency, holdability);
    }

    @Override
    public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
        return register(new LockstepStatement(this, checkResultSetType(type, concurrency, holdability)));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        return prepareStatement(sql, type, concurrency, holdability);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        int t = checkResultSetType(type, concurrency, holdability);
        return register(new LockstepPreparedStatement(this, sql, t, GeneratedKeyRequest.NONE));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        checkOpen();
        return register(new LockstepPreparedStatement(this, sql, ResultSet.TYPE_FORWARD_ONLY,
                LockstepStatement.keyRequest(autoGeneratedKeys)));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        checkOpen();
        return register(new LockstepPreparedStatement(this, sql, ResultSet.TYPE_FORWARD_ONLY,
                LockstepStatement.keyRequest(columnNames)));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        throw JdbcSupport.unsupported("Generated keys by column index (use column names)");
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

    // ---- transactions (see Transactions; one line each where the body is a delegation) -----------------------

    /**
     * {@code false} starts a transaction at the next statement; {@code true} commits the open one first (JDBC), and
     * fails as {@link #commit()} does if that commit fails (the connection then stays in manual-commit mode), also
     * when an earlier error aborted the transaction (its SQLState, nothing applied).
     */
    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        checkOpen();
        if (autoCommit && !this.autoCommit) {
            transactions.commit(0);
        }
        this.autoCommit = autoCommit;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    /** See {@link Transactions#commit}: 40001 retry the transaction, 08006 outcome unknown, 25P03 idle too long. */
    @Override
    public void commit() throws SQLException { manual("commit").commit(0); }

    /** Forgets the open transaction; nothing of it was applied. */
    @Override
    public void rollback() throws SQLException { manual("roll back").rollback(); }

    @Override
    public Savepoint setSavepoint() throws SQLException { return manual("set a savepoint").setSavepoint(null); }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        if (name == null) {
            throw new SQLException("A savepoint name must not be null", "3B001");
        }
        return manual("set a savepoint").setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException { manual("roll back to a savepoint").rollback(savepoint); }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException { manual("release a savepoint").release(savepoint); }

    /** The transactions, once checked that the connection is open and in manual-commit mode (else 25000). */
    private Transactions manual(String what) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("Cannot " + what + ": the connection is in auto-commit mode (every statement is "
                    + "committed on its own)", "25000");
        }
        return transactions;
    }

    /** True in manual-commit mode: statements run inside a transaction. */
    boolean inTransactionMode() {
        return !autoCommit;
    }

    /** Runs a statement inside the (open or new) transaction; see {@link Transactions#statement}. */
    Reply transactionStatement(SqlStatement statement, boolean write, int queryTimeoutSeconds) throws SQLException {
        checkOpen();
        if (write && readOnly) {
            throw readOnlyRefusal();
        }
        return transactions.statement(statement, write, queryTimeoutSeconds * 1000L);
    }

    /** 25P02 if an earlier error rolled the transaction back and rollback() was not called yet. */
    void checkTransactionNotAborted() throws SQLException {
        transactions.checkNotAborted();
    }

    /** Before a statement H2 runs outside transactions (DDL): the open transaction commits first, as in H2. */
    void commitBeforeStatementAlone(int queryTimeoutSeconds) throws SQLException {
        transactions.commit(queryTimeoutSeconds);
    }

    /** See {@link Transactions#isolation}. */
    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return Transactions.isolation(autoCommit, url.read());
    }

    /** Accepts every level; transactions always run SERIALIZABLE (a stronger level than asked is allowed by JDBC). */
    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        Transactions.checkIsolationLevel(level);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        checkOpen();
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return holdability;
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkResultSetType(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
        this.holdability = holdability;
    }

    // ---- metadata and state --------------------------------------------------------------------------------

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return new LockstepDatabaseMetaData(this);
    }

    @Override
    public boolean isValid(int timeoutSeconds) throws SQLException {
        if (timeoutSeconds < 0) {
            throw new SQLException("timeout must be >= 0", "HY000");
        }
        if (closed) {
            return false;
        }
        try {
            // timeout 0 = no limit of its own; a network timeout still bounds it
            long bound = timeoutSeconds > 0 ? timeoutSeconds * 1000L : requests.networkTimeoutMillis();
            requests.query(new QueryRequest("SELECT 1", List.of(), 0), bound, "isValid(" + timeoutSeconds + ")");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        transactions.rollback(); // nothing of an open transaction was applied anywhere: it is forgotten
        statements.closeAll();
        channel.close();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw new SQLException("executor must not be null", "HY009");
        }
        close();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return warnings;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        warnings = null;
    }

    /** The cluster's one database name, as {@code CURRENT_CATALOG} and {@code INFORMATION_SCHEMA} give it. */
    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return session.catalog(this);
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
        // Catalogs are not supported: ignored, as JDBC specifies.
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return session.schema();
    }

    /**
     * Makes an existing schema (exact name, as in H2: {@code "SALES"}, not {@code "sales"}) this connection's
     * current schema: unqualified names of later reads and writes resolve there on every replica, and
     * {@code CURRENT_SCHEMA} answers it. A schema that does not exist: 90079. Inside an open transaction it is
     * an operation of the transaction (the following statements run in the schema, at the commit too), kept by a
     * rollback as in H2; a reserved schema is refused there (42L05).
     */
    @Override
    public void setSchema(String schema) throws SQLException {
        checkOpen();
        if (!autoCommit) {
            transactions.checkNotAborted(); // a step of the transaction: refused after an error rolled it back
        }
        if (!transactions.isOpen()) {
            session.setSchema(this, schema);
            return;
        }
        ConnectionSession.checkName(schema);
        if (!schema.equals(session.schema())) {
            transactions.setSchema(schema);
            session.follow(schema);
        }
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return new java.util.HashMap<>();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        if (map != null && !map.isEmpty()) {
            throw JdbcSupport.unsupported("Type maps");
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        checkOpenForClientInfo();
        clientInfo.set(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        checkOpenForClientInfo();
        clientInfo.replaceAll(properties);
    }

    /** Like {@link #checkOpen}, with the exception type the client info setters must throw. */
    private void checkOpenForClientInfo() throws SQLClientInfoException {
        if (closed) {
            throw new SQLClientInfoException("Connection is closed", "08003", 0, Map.of());
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        return clientInfo.get(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        return clientInfo.copy();
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        if (milliseconds < 0) {
            throw new SQLException("network timeout must be >= 0, not " + milliseconds, "HY000");
        }
        requests.networkTimeoutMillis(milliseconds);
    }

    /** The bound set by {@link #setNetworkTimeout}, in ms; 0 = none. */
    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return (int) requests.networkTimeoutMillis();
    }

    @Override
    public Blob createBlob() throws SQLException {
        checkOpen();
        return new MemoryBlob(new byte[0]);
    }

    @Override
    public Clob createClob() throws SQLException {
        checkOpen();
        return new MemoryClob("");
    }

    @Override
    public NClob createNClob() throws SQLException {
        checkOpen();
        return new MemoryClob("");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return JdbcSupport.unwrap(this, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return JdbcSupport.isWrapperFor(this, iface);
    }

    @Override
    public String toString() {
        return "LockstepConnection[" + url + "]";
    }

    /** {@code CALL expression} (and the {@code {call …}} escape): see {@link LockstepCallableStatement}. */
    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        return prepareCall(sql, type, concurrency, holdability);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability)
            throws SQLException {
        int t = checkResultSetType(type, concurrency, holdability);
        return register(new LockstepCallableStatement(this, sql, t));
    }

    // ---- not supported (one line each: savepoints, structured types) -----------------------------------------
    @Override
    public Array createArrayOf(String type, Object[] items) throws SQLException {
        checkOpen();
        return new LockstepArray(ParameterValues.arrayOf(type, items == null ? new Object[0] : items));
    }
    @Override
    public Struct createStruct(String type, Object[] items) throws SQLException { throw unsupported("createStruct"); }
    @Override
    public SQLXML createSQLXML() throws SQLException { throw unsupported("createSQLXML"); }
}
