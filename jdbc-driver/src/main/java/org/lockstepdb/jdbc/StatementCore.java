package org.lockstepdb.jdbc;

import java.sql.BatchUpdateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.lockstepdb.protocol.GeneratedKeyRequest;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;
import org.lockstepdb.protocol.sql.Classification;
import org.lockstepdb.protocol.sql.SqlKind;
import org.lockstepdb.protocol.sql.SqlRefusal;
import org.lockstepdb.protocol.sql.StatementClassifier;

/**
 * The execution core of one JDBC statement, plain or prepared (each owns one): routes a statement to the read
 * or the write path ({@link #isQuery}), sends it through the connection, and keeps what the last execution left
 * (result set, update count, generated keys). It also holds the options the execution uses (max rows, query
 * timeout, result set type) and the open/closed state, so that {@link LockstepStatement} and
 * {@link LockstepPreparedStatement} are only the JDBC surface over it.
 */
final class StatementCore {
    private final LockstepConnection connection;
    /** The JDBC object result sets answer from {@code getStatement()}. */
    private final LockstepStatement owner;
    private final int resultSetType;
    private boolean closed;
    private boolean closeOnCompletion;
    private int maxRows;
    private int queryTimeoutSeconds;
    /** The id of the query this statement is running now (another thread may cancel it), or null. */
    private volatile String runningQueryId;
    private LockstepResultSet resultSet;
    private long updateCount = -1;
    private ResultData generatedKeys;

    StatementCore(LockstepConnection connection, LockstepStatement owner, int resultSetType) {
        this.connection = connection;
        this.owner = owner;
        this.resultSetType = resultSetType;
        this.maxRows = connection.url().maxRows();
    }

    // ---- routing: the one place that decides read path or write path ---------------------------------------

    /**
     * True if {@code sql} goes the read path (a query that only reads); everything else is a write, one log entry
     * — also a query that writes ({@code SELECT NEXT VALUE FOR s}, {@code SELECT … FROM FINAL TABLE (INSERT …)}),
     * whose rows come back with the entry's result.
     */
    static boolean isQuery(String sql) {
        return StatementClassifier.classify(sql).isQuery();
    }

    /** True if {@code sql} answers with a result set, by the read path or through the log. */
    static boolean returnsRows(String sql) {
        return StatementClassifier.classify(sql).returnsRows();
    }

    /**
     * Refuses a statement without a result set for {@code executeQuery}: SQLState 90002; a text the classifier
     * refuses gets that refusal instead (what the server would answer, docs/SQL.md), whatever method sent it.
     */
    static void requireQuery(String sql) throws SQLException {
        Classification c = sql == null ? null : StatementClassifier.classify(sql);
        if (c != null && c.refusal() != null && !c.returnsRows()) {
            throw refused(c.refusal());
        }
        if (c == null || !c.returnsRows()) {
            throw new SQLException("Method is only allowed for a query", "90002", 90002);
        }
    }

    /**
     * Refuses a statement with a result set for {@code executeUpdate} and batches: SQLState 90001, before anything
     * is sent — as H2's own driver does, also for a query that writes (nothing of it runs); a text the classifier
     * refuses gets that refusal instead.
     */
    static void requireWrite(String sql) throws SQLException {
        Classification c = sql == null ? null : StatementClassifier.classify(sql);
        if (c != null && c.returnsRows()) {
            throw c.refusal() != null ? refused(c.refusal()) : isAQuery();
        }
    }

    private static SQLException refused(SqlRefusal refusal) {
        return new SQLException(refusal.getMessage(), refusal.sqlState());
    }

    static SQLException isAQuery() {
        return new SQLException("Method is not allowed for a query", "90001", 90001);
    }

    static void requireSql(String sql) throws SQLException {
        if (sql == null) {
            throw new SQLException("SQL must not be null", "HY009");
        }
    }

    // ---- state ---------------------------------------------------------------------------------------------

    LockstepConnection connection() {
        return connection;
    }

    /** Fails with 08003 if this statement or its connection is closed. */
    void checkOpen() throws SQLException {
        if (closed) {
            throw JdbcSupport.closed("Statement");
        }
        connection.checkOpen();
    }

    boolean isClosed() {
        return closed;
    }

    int resultSetType() {
        return resultSetType;
    }

    int maxRows() {
        return maxRows;
    }

    void maxRows(int max) throws SQLException {
        if (max < 0) {
            throw new SQLException("maxRows must be >= 0", "22023");
        }
        maxRows = max;
    }

    int queryTimeoutSeconds() {
        return queryTimeoutSeconds;
    }

    void queryTimeoutSeconds(int seconds) throws SQLException {
        if (seconds < 0) {
            throw new SQLException("query timeout must be >= 0", "22023");
        }
        queryTimeoutSeconds = seconds;
    }

    boolean closeOnCompletion() {
        return closeOnCompletion;
    }

    void closeOnCompletion(boolean close) {
        closeOnCompletion = close;
    }

    // ---- execution -----------------------------------------------------------------------------------------

    /** Executes one statement; true if the result is a result set (then {@link #resultSet()} holds it). */
    boolean execute(String sql, List<Value> parameters, GeneratedKeyRequest keys) throws SQLException {
        checkOpen();
        clearResults();
        requireSql(sql);
        String schema = parameters.isEmpty() ? SetSchemaStatement.schemaOf(sql) : null;
        if (schema != null) { // H2's SET SCHEMA: the connection's own setting, nothing to send
            connection.setSchema(schema);
            updateCount = 0;
            return false;
        }
        if (connection.inTransactionMode() && inTransaction(sql)) {
            SqlStatement st = new SqlStatement(sql, parameters.isEmpty() ? List.of() : List.of(parameters), keys);
            return keep(connection.transactionStatement(st, !isQuery(sql), queryTimeoutSeconds));
        }
        if (isQuery(sql)) {
            runQuery(sql, parameters);
            return true;
        }
        SqlStatement st = new SqlStatement(sql, parameters.isEmpty() ? List.of() : List.of(parameters), keys);
        StatementResult result = runWrite(List.of(st)).get(0);
        if (result.rows() != null) { // a query that writes: its rows, drawn in log order on every replica
            resultSet = new LockstepResultSet(owner, limited(result.rows()), resultSetType);
            return true;
        }
        updateCount = sum(result.updateCounts());
        return false;
    }

    /**
     * Whether a statement of a connection in manual-commit mode runs inside its transaction: queries and DML do.
     * A statement H2 runs outside transactions (DDL, TRUNCATE, SET…) commits the open transaction first and then
     * runs alone, as in embedded H2; a query that draws sequence values runs alone through the log without
     * committing (a sequence advance is not undone by rollback, in H2 and PostgreSQL alike); a query of
     * INFORMATION_SCHEMA runs as a plain query beside the transaction (the committed catalog, as
     * {@code DatabaseMetaData} reads it; not part of the script, not validated at the commit). After an error
     * aborted the transaction only such catalog reads still run (the others fail with 25P02 until rollback()).
     */
    private boolean inTransaction(String sql) throws SQLException {
        Classification c = StatementClassifier.classify(sql);
        if (!c.readsCatalog()) {
            connection.checkTransactionNotAborted();
        }
        refuseInTransaction(c);
        if (c.drawsSequence() || c.readsCatalog()) {
            return false;
        }
        if (c.coarse() == SqlKind.DDL || c.coarse() == SqlKind.OTHER) {
            connection.commitBeforeStatementAlone(queryTimeoutSeconds);
            return false;
        }
        return true;
    }

    /**
     * Refuses, without sending anything, a statement every replica's classifier refuses: sent "alone" as a
     * DDL-like statement it would first commit the open transaction (a typo, {@code SET MODE}, or {@code ROLLBACK}
     * itself would commit it).
     *
     * @throws SQLException the classifier's refusal (42L00, 42L01, 0AL01, 0AL02, 25L01, 54L02, with its vendor code)
     */
    private static void refuseInTransaction(Classification c) throws SQLException {
        SqlRefusal r = c.refusal();
        if (r != null) {
            String message = SqlRefusal.TRANSACTION_CONTROL.equals(r.sqlState())
                    ? SqlRefusal.transactionControlInTransaction(r.getMessage())
                    : r.getMessage() + "; the transaction is unchanged and stays open";
            throw new SQLException(message, r.sqlState(), r.vendorCode());
        }
    }

    /** Makes a transaction statement's result current; true if it is a result set. */
    private boolean keep(Reply reply) {
        if (reply instanceof QueryResult q) {
            resultSet = new LockstepResultSet(owner, limited(q.data()), resultSetType);
            return true;
        }
        StatementResult result = ((WriteResult) reply).results().get(0);
        if (result.rows() != null) {
            resultSet = new LockstepResultSet(owner, limited(result.rows()), resultSetType);
            return true;
        }
        updateCount = sum(result.updateCounts());
        generatedKeys = result.generatedKeys();
        return false;
    }

    /** The first {@link #maxRows} rows (0: all); the replicas ran the whole statement, as the log holds it. */
    private ResultData limited(ResultData rows) {
        return maxRows == 0 || rows.rows().size() <= maxRows ? rows
                : new ResultData(rows.columns(), rows.rows().subList(0, maxRows));
    }

    /** Runs a query and makes its result current. */
    private void runQuery(String sql, List<Value> parameters) throws SQLException {
        String id = connection.nextQueryId();
        runningQueryId = id;
        QueryResult r;
        try {
            r = connection.query(new QueryRequest(sql, parameters, maxRows, queryTimeoutSeconds * 1000L, id));
        } finally {
            runningQueryId = null;
        }
        resultSet = new LockstepResultSet(owner, r.data(), resultSetType);
    }

    /** Sends one write and keeps its generated keys; returns its statement results. */
    private List<StatementResult> runWrite(List<SqlStatement> statements) throws SQLException {
        WriteResult r = connection.write(WriteRequest.of(statements), queryTimeoutSeconds);
        List<StatementResult> results = r.results();
        if (results.size() != statements.size()) {
            throw new SQLException("The server answered " + results.size() + " results for " + statements.size()
                    + " statements", "08S01");
        }
        generatedKeys = keysOf(results);
        return results;
    }

    /** The generated keys of all the results, in order (one result set, as H2's driver gives for a batch). */
    private static ResultData keysOf(List<StatementResult> results) {
        ResultData keys = null;
        for (StatementResult sr : results) {
            if (sr.generatedKeys() != null) {
                keys = keys == null ? sr.generatedKeys() : concat(keys, sr.generatedKeys());
            }
        }
        return keys;
    }

    private static ResultData concat(ResultData a, ResultData b) {
        if (a.columns().size() != b.columns().size()) {
            return a;
        }
        List<List<Value>> rows = new ArrayList<>(a.rows());
        rows.addAll(b.rows());
        return new ResultData(a.columns(), rows);
    }

    private static long sum(List<Long> counts) {
        long n = 0;
        for (Long c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * Sends a batch as one write, one atomic log entry: on error nothing of it was applied
     * ({@code BatchUpdateException} with no counts and the cause's SQLState; a statement with a result set in it,
     * also a query that writes: 90001, nothing sent — H2's driver refuses those too). Returns per
     * statement update counts, or for a prepared batch ({@code perParameterSet}) one per parameter set. The caller
     * has checked the statement is open and cleared the previous results.
     */
    long[] executeBatch(List<SqlStatement> statements, boolean perParameterSet) throws SQLException {
        if (statements.isEmpty()) {
            return new long[0];
        }
        for (SqlStatement st : statements) {
            if (returnsRows(st.sql())) {
                throw new BatchUpdateException("A query cannot be part of a batch: " + st.sql(), "90001", 90001,
                        new long[0], null);
            }
        }
        List<StatementResult> results;
        try {
            results = connection.inTransactionMode() ? runInTransaction(statements) : runWrite(statements);
        } catch (SQLException e) {
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

    /**
     * A batch inside a transaction: each statement is one operation of the script (a prepared batch one operation
     * with its parameter sets). A DDL among them commits the transaction first and runs alone, as in H2.
     */
    private List<StatementResult> runInTransaction(List<SqlStatement> statements) throws SQLException {
        for (SqlStatement st : statements) { // a refused statement refuses the whole batch before any of it runs
            refuseInTransaction(StatementClassifier.classify(st.sql()));
        }
        List<StatementResult> results = new ArrayList<>(statements.size());
        for (SqlStatement st : statements) {
            if (inTransaction(st.sql())) {
                results.add(((WriteResult) connection.transactionStatement(st, true, queryTimeoutSeconds))
                        .results().get(0));
            } else {
                results.addAll(connection.write(WriteRequest.of(List.of(st)), queryTimeoutSeconds).results());
            }
        }
        generatedKeys = keysOf(results);
        return results;
    }

    /**
     * Stops the query running now, if any (called from another thread): the replica cancels it inside H2 and the
     * execution fails with 57014. A write cannot be cancelled (it is in the log or not).
     */
    void cancel() throws SQLException {
        checkOpen();
        String id = runningQueryId;
        if (id != null) {
            connection.cancelQuery(id);
        }
    }

    // ---- results -------------------------------------------------------------------------------------------

    LockstepResultSet resultSet() {
        return resultSet;
    }

    /** The last write's update count, -1 if the last execution was a query or there was none. */
    long updateCount() {
        return updateCount;
    }

    /** The last write's generated keys (empty if it asked for none), as a forward-only result set. */
    ResultSet generatedKeys() {
        return new LockstepResultSet(owner, generatedKeys == null ? ResultData.empty() : generatedKeys,
                ResultSet.TYPE_FORWARD_ONLY);
    }

    /** Drops the previous execution's results (closing its result set). */
    void clearResults() throws SQLException {
        if (resultSet != null) {
            LockstepResultSet rs = resultSet;
            resultSet = null;
            rs.close();
        }
        updateCount = -1;
        generatedKeys = null;
    }

    /** {@code getMoreResults(current)}: there never are more; the current result is closed unless KEEP_CURRENT. */
    void moreResults(int current) throws SQLException {
        if (current == Statement.CLOSE_CURRENT_RESULT || current == Statement.CLOSE_ALL_RESULTS) {
            clearResults();
        } else {
            resultSet = null;
            updateCount = -1;
        }
    }

    void resultSetClosed(LockstepResultSet rs) throws SQLException {
        if (rs == resultSet) {
            resultSet = null;
        }
        if (closeOnCompletion && !closed) {
            owner.close();
        }
    }

    // ---- closing -------------------------------------------------------------------------------------------

    /** Closes the statement and its result; false if it was closed already. */
    boolean close() throws SQLException {
        if (closed) {
            return false;
        }
        clearResults();
        closed = true;
        return true;
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
}
