package org.lockstepdb.jdbc;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;
import org.lockstepdb.protocol.sql.StatementClassifier;

/**
 * A statement. Routing is by the one statement classifier ({@link StatementClassifier}, the server's): queries go the read path with the connection's
 * consistency; everything else is a write, one log entry. A batch ({@link #executeBatch}) is one
 * {@link WriteRequest}: one atomic log entry, all statements applied or none.
 */
public class LockstepStatement extends AbstractStatement {
    protected final LockstepConnection connection;
    private final int resultSetType;
    private boolean closed;
    private boolean closeOnCompletion;
    private int maxRows;
    private int queryTimeoutSeconds;
    /** The id of the query this statement is running now (another thread may cancel it), or null. */
    private volatile String runningQueryId;
    private int fetchSize;
    private SQLWarning warnings;
    private LockstepResultSet resultSet;
    private long updateCount = -1;
    private ResultData generatedKeys;
    private final List<String> batch = new ArrayList<>();

    LockstepStatement(LockstepConnection connection, int resultSetType) {
        this.connection = connection;
        this.resultSetType = resultSetType;
        this.maxRows = connection.url().maxRows();
    }

    protected void checkOpen() throws SQLException {
        if (closed) {
            throw JdbcSupport.closed("Statement");
        }
        connection.checkOpen();
    }

    /** Drops the previous execution's results. */
    protected void clearResults() throws SQLException {
        if (resultSet != null) {
            LockstepResultSet rs = resultSet;
            resultSet = null;
            rs.close();
        }
        updateCount = -1;
        generatedKeys = null;
    }

    // ---- execution core (shared with the prepared statement) -----------------------------------------------

    /** Runs a query and makes its result current. */
    protected LockstepResultSet runQuery(String sql, List<Value> parameters) throws SQLException {
        String id = connection.nextQueryId();
        runningQueryId = id;
        QueryResult r;
        try {
            r = connection.query(new QueryRequest(sql, parameters, maxRows, queryTimeoutSeconds * 1000L, id));
        } finally {
            runningQueryId = null;
        }
        resultSet = new LockstepResultSet(this, r.data(), resultSetType);
        return resultSet;
    }

    /** Sends one write and keeps its update count and generated keys; returns its statement results. */
    protected List<StatementResult> runWrite(List<SqlStatement> statements) throws SQLException {
        WriteResult r = connection.write(WriteRequest.of(statements), queryTimeoutSeconds);
        List<StatementResult> results = r.results();
        if (results.size() != statements.size()) {
            throw new SQLException("The server answered " + results.size() + " results for " + statements.size()
                    + " statements", "08S01");
        }
        ResultData keys = null;
        for (StatementResult sr : results) {
            if (sr.generatedKeys() != null) {
                keys = keys == null ? sr.generatedKeys() : concat(keys, sr.generatedKeys());
            }
        }
        generatedKeys = keys;
        return results;
    }

    private static ResultData concat(ResultData a, ResultData b) {
        if (a.columns().size() != b.columns().size()) {
            return a;
        }
        List<List<Value>> rows = new ArrayList<>(a.rows());
        rows.addAll(b.rows());
        return new ResultData(a.columns(), rows);
    }

    static long sum(List<Long> counts) {
        long n = 0;
        for (Long c : counts) {
            n += c;
        }
        return n;
    }

    /** Executes one statement; true if the result is a result set. */
    protected boolean executeOne(String sql, List<Value> parameters, List<String> keyColumns) throws SQLException {
        checkOpen();
        clearResults();
        if (sql == null) {
            throw new SQLException("SQL must not be null", "HY009");
        }
        if (isQuery(sql)) {
            runQuery(sql, parameters);
            return true;
        }
        SqlStatement st = new SqlStatement(sql, parameters.isEmpty() ? List.of() : List.of(parameters), keyColumns);
        List<StatementResult> results = runWrite(List.of(st));
        updateCount = sum(results.get(0).updateCounts());
        return false;
    }

    protected static SQLException notAQuery() {
        return new SQLException("Method is only allowed for a query", "90002", 90002);
    }

    protected static SQLException isAQuery() {
        return new SQLException("Method is not allowed for a query", "90001", 90001);
    }

    /** Whether {@code sql} goes down the read path (as the server classifies it). */
    protected static boolean isQuery(String sql) {
        return StatementClassifier.classify(sql).isQuery();
    }

    protected static void requireQuery(String sql) throws SQLException {
        if (sql == null || !isQuery(sql)) {
            throw notAQuery();
        }
    }

    protected static void requireWrite(String sql) throws SQLException {
        if (sql != null && isQuery(sql)) {
            throw isAQuery();
        }
    }

    static List<String> keyColumns(int autoGeneratedKeys) throws SQLException {
        if (autoGeneratedKeys == Statement.RETURN_GENERATED_KEYS) {
            return List.of();
        }
        if (autoGeneratedKeys == Statement.NO_GENERATED_KEYS) {
            return null;
        }
        throw new SQLException("autoGeneratedKeys must be RETURN_GENERATED_KEYS or NO_GENERATED_KEYS", "HY092");
    }

    static List<String> keyColumns(String[] names) {
        return names == null || names.length == 0 ? null : List.of(names);
    }

    // ---- Statement API -------------------------------------------------------------------------------------

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        checkOpen();
        requireQuery(sql);
        executeOne(sql, List.of(), null);
        return resultSet;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return clamp(executeLargeUpdate(sql));
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        return largeUpdate(sql, null);
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return clamp(executeLargeUpdate(sql, autoGeneratedKeys));
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return largeUpdate(sql, keyColumns(autoGeneratedKeys));
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return clamp(executeLargeUpdate(sql, columnNames));
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        return largeUpdate(sql, keyColumns(columnNames));
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        throw JdbcSupport.unsupported("Generated keys by column index (use column names)");
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        throw JdbcSupport.unsupported("Generated keys by column index (use column names)");
    }

    private long largeUpdate(String sql, List<String> keys) throws SQLException {
        checkOpen();
        requireWrite(sql);
        executeOne(sql, List.of(), keys);
        return updateCount;
    }

    static int clamp(long n) {
        return n > Integer.MAX_VALUE ? Statement.SUCCESS_NO_INFO : (int) n;
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return executeOne(sql, List.of(), null);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return executeOne(sql, List.of(), keyColumns(autoGeneratedKeys));
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return executeOne(sql, List.of(), keyColumns(columnNames));
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        throw JdbcSupport.unsupported("Generated keys by column index (use column names)");
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        checkOpen();
        return resultSet;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        checkOpen();
        return updateCount < 0 ? -1 : clamp(updateCount);
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return updateCount;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        checkOpen();
        clearResults();
        return false;
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        checkOpen();
        if (current == Statement.CLOSE_CURRENT_RESULT || current == Statement.CLOSE_ALL_RESULTS) {
            clearResults();
        } else {
            resultSet = null;
            updateCount = -1;
        }
        return false;
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        return new LockstepResultSet(this, generatedKeys == null ? ResultData.empty() : generatedKeys,
                ResultSet.TYPE_FORWARD_ONLY);
    }

    // ---- batches -------------------------------------------------------------------------------------------

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        if (sql == null) {
            throw new SQLException("SQL must not be null", "HY009");
        }
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch.clear();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long[] counts = executeLargeBatch();
        int[] r = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            r[i] = clamp(counts[i]);
        }
        return r;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        clearResults();
        List<SqlStatement> statements = new ArrayList<>(batch.size());
        for (String sql : batch) {
            statements.add(SqlStatement.of(sql));
        }
        batch.clear();
        return runBatch(statements, false);
    }

    /** Sends a batch as one write; per statement (or, for a prepared batch, per parameter set) update counts. */
    protected long[] runBatch(List<SqlStatement> statements, boolean perParameterSet) throws SQLException {
        if (statements.isEmpty()) {
            return new long[0];
        }
        for (SqlStatement st : statements) {
            if (isQuery(st.sql())) {
                throw new BatchUpdateException("A query cannot be part of a batch: " + st.sql(), "90001", 90001,
                        new long[0], null);
            }
        }
        List<StatementResult> results;
        try {
            results = runWrite(statements);
        } catch (SQLException e) {
            // The batch is one log entry: on error nothing of it was applied.
            throw new BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), new long[0], e);
        }
        List<Long> counts = new ArrayList<>();
        for (StatementResult sr : results) {
            if (perParameterSet) {
                counts.addAll(sr.updateCounts());
            } else {
                counts.add(sum(sr.updateCounts()));
            }
        }
        long[] r = new long[counts.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = counts.get(i);
        }
        return r;
    }

    // ---- properties ----------------------------------------------------------------------------------------

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return connection;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        clearResults();
        closed = true;
        connection.statementClosed(this);
    }

    /** Closes without telling the connection (the connection is closing). */
    void closeQuietly() {
        try {
            if (resultSet != null) {
                resultSet.close();
            }
        } catch (SQLException ignored) {
            // in-memory; cannot fail
        }
        closed = true;
    }

    void resultSetClosed(LockstepResultSet rs) throws SQLException {
        if (rs == resultSet) {
            resultSet = null;
        }
        if (closeOnCompletion && !closed) {
            close();
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        checkOpen();
        closeOnCompletion = true;
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        checkOpen();
        return closeOnCompletion;
    }

    @Override
    public int getMaxRows() throws SQLException {
        checkOpen();
        return maxRows;
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw new SQLException("maxRows must be >= 0", "22023");
        }
        maxRows = max;
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        return getMaxRows();
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        setMaxRows((int) Math.min(Integer.MAX_VALUE, max));
    }

    /**
     * Seconds this statement may take (0 = no limit of its own). A query: the server cancels it after the shorter
     * of this, the URL's {@code timeoutMs} and its {@code --query-timeout-ms}, with SQLState 57014. A write: its
     * retries through leader changes included, when below {@code timeoutMs}; then it fails with 08006.
     */
    @Override
    public int getQueryTimeout() throws SQLException {
        checkOpen();
        return queryTimeoutSeconds;
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        checkOpen();
        if (seconds < 0) {
            throw new SQLException("query timeout must be >= 0", "22023");
        }
        queryTimeoutSeconds = seconds;
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        checkOpen();
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        checkOpen();
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw new SQLException("fetch size must be >= 0", "22023");
        }
        fetchSize = rows;
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return ResultSet.FETCH_FORWARD;
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        checkOpen();
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getResultSetType() throws SQLException {
        checkOpen();
        return resultSetType;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        checkOpen();
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
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

    /**
     * Stops the query this statement is running (called from another thread): the replica running it cancels it
     * inside H2 and {@code executeQuery} fails with {@code SQLTimeoutException} 57014. Does nothing when no query
     * runs; a write cannot be cancelled (it is in the log or not).
     */
    @Override
    public void cancel() throws SQLException {
        checkOpen();
        String id = runningQueryId;
        if (id != null) {
            connection.cancelQuery(id);
        }
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        checkOpen();
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        checkOpen();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return JdbcSupport.unwrap(this, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return JdbcSupport.isWrapperFor(this, iface);
    }
}
