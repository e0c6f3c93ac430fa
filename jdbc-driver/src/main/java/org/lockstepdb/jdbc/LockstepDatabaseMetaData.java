package org.lockstepdb.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

/**
 * Database metadata. Tables, columns, schemas, catalogs and primary keys are looked up in H2's
 * {@code INFORMATION_SCHEMA} through the connection's normal query path, with the JDBC-standard column names;
 * other lookups return empty results, and capabilities are constants.
 */
public class LockstepDatabaseMetaData extends AbstractDatabaseMetaData {
    private final LockstepConnection connection;

    LockstepDatabaseMetaData(LockstepConnection connection) {
        this.connection = connection;
    }

    @Override
    protected ResultSet emptyResultSet() {
        return new LockstepResultSet(ResultData.empty());
    }

    private ResultSet query(String sql, List<Value> params) throws SQLException {
        return new LockstepResultSet(connection.queryData(sql, params));
    }

    /** Appends {@code AND column LIKE ? ESCAPE '\'} for a non-null pattern. */
    private static void like(StringBuilder sql, List<Value> params, String column, String pattern) {
        if (pattern != null && !"%".equals(pattern)) {
            sql.append(" AND ").append(column).append(" LIKE ? ESCAPE '\\'");
            params.add(Value.of(ValueType.VARCHAR, pattern));
        }
    }

    /** H2's INFORMATION_SCHEMA data type name to a {@link Types} code. */
    static final String JDBC_TYPE_CASE = "CASE C.DATA_TYPE"
            + " WHEN 'CHARACTER VARYING' THEN " + Types.VARCHAR
            + " WHEN 'VARCHAR_IGNORECASE' THEN " + Types.VARCHAR
            + " WHEN 'CHARACTER' THEN " + Types.CHAR
            + " WHEN 'CHARACTER LARGE OBJECT' THEN " + Types.CLOB
            + " WHEN 'BINARY VARYING' THEN " + Types.VARBINARY
            + " WHEN 'BINARY' THEN " + Types.BINARY
            + " WHEN 'BINARY LARGE OBJECT' THEN " + Types.BLOB
            + " WHEN 'BOOLEAN' THEN " + Types.BOOLEAN
            + " WHEN 'TINYINT' THEN " + Types.TINYINT
            + " WHEN 'SMALLINT' THEN " + Types.SMALLINT
            + " WHEN 'INTEGER' THEN " + Types.INTEGER
            + " WHEN 'BIGINT' THEN " + Types.BIGINT
            + " WHEN 'NUMERIC' THEN " + Types.NUMERIC
            + " WHEN 'DECIMAL' THEN " + Types.DECIMAL
            + " WHEN 'DECFLOAT' THEN " + Types.NUMERIC
            + " WHEN 'REAL' THEN " + Types.REAL
            + " WHEN 'DOUBLE PRECISION' THEN " + Types.DOUBLE
            + " WHEN 'DATE' THEN " + Types.DATE
            + " WHEN 'TIME' THEN " + Types.TIME
            + " WHEN 'TIME WITH TIME ZONE' THEN " + Types.TIME_WITH_TIMEZONE
            + " WHEN 'TIMESTAMP' THEN " + Types.TIMESTAMP
            + " WHEN 'TIMESTAMP WITH TIME ZONE' THEN " + Types.TIMESTAMP_WITH_TIMEZONE
            + " WHEN 'UUID' THEN " + Types.BINARY
            + " WHEN 'ARRAY' THEN " + Types.ARRAY
            + " ELSE " + Types.OTHER + " END";

    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM (SELECT T.TABLE_CATALOG AS TABLE_CAT, "
                + "T.TABLE_SCHEMA AS TABLE_SCHEM, T.TABLE_NAME, "
                + "CASE WHEN T.TABLE_SCHEMA = 'INFORMATION_SCHEMA' THEN 'SYSTEM TABLE' "
                + "WHEN T.TABLE_TYPE = 'BASE TABLE' THEN 'TABLE' ELSE T.TABLE_TYPE END AS TABLE_TYPE, "
                + "T.REMARKS, CAST(NULL AS VARCHAR) AS TYPE_CAT, CAST(NULL AS VARCHAR) AS TYPE_SCHEM, "
                + "CAST(NULL AS VARCHAR) AS TYPE_NAME, CAST(NULL AS VARCHAR) AS SELF_REFERENCING_COL_NAME, "
                + "CAST(NULL AS VARCHAR) AS REF_GENERATION FROM INFORMATION_SCHEMA.TABLES T) X WHERE TRUE");
        List<Value> params = new ArrayList<>();
        like(sql, params, "TABLE_SCHEM", schemaPattern);
        like(sql, params, "TABLE_NAME", tableNamePattern);
        if (types != null) {
            if (types.length == 0) {
                return emptyResultSet();
            }
            sql.append(" AND TABLE_TYPE IN (");
            for (int i = 0; i < types.length; i++) {
                sql.append(i == 0 ? "?" : ", ?");
                params.add(Value.of(ValueType.VARCHAR, types[i]));
            }
            sql.append(')');
        }
        sql.append(" ORDER BY TABLE_TYPE, TABLE_SCHEM, TABLE_NAME");
        return query(sql.toString(), params);
    }

    @Override
    public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern,
                                String columnNamePattern) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT C.TABLE_CATALOG AS TABLE_CAT, C.TABLE_SCHEMA AS TABLE_SCHEM, "
                + "C.TABLE_NAME, C.COLUMN_NAME, " + JDBC_TYPE_CASE + " AS DATA_TYPE, C.DATA_TYPE AS TYPE_NAME, "
                + "CAST(COALESCE(C.CHARACTER_MAXIMUM_LENGTH, C.NUMERIC_PRECISION, C.DATETIME_PRECISION) AS INTEGER) "
                + "AS COLUMN_SIZE, CAST(NULL AS INTEGER) AS BUFFER_LENGTH, "
                + "CAST(C.NUMERIC_SCALE AS INTEGER) AS DECIMAL_DIGITS, "
                + "CAST(C.NUMERIC_PRECISION_RADIX AS INTEGER) AS NUM_PREC_RADIX, "
                + "CASE C.IS_NULLABLE WHEN 'YES' THEN " + DatabaseMetaData.columnNullable + " ELSE "
                + DatabaseMetaData.columnNoNulls + " END AS NULLABLE, C.REMARKS, C.COLUMN_DEFAULT AS COLUMN_DEF, "
                + "CAST(NULL AS INTEGER) AS SQL_DATA_TYPE, CAST(NULL AS INTEGER) AS SQL_DATETIME_SUB, "
                + "CAST(C.CHARACTER_OCTET_LENGTH AS INTEGER) AS CHAR_OCTET_LENGTH, C.ORDINAL_POSITION, "
                + "C.IS_NULLABLE, CAST(NULL AS VARCHAR) AS SCOPE_CATALOG, CAST(NULL AS VARCHAR) AS SCOPE_SCHEMA, "
                + "CAST(NULL AS VARCHAR) AS SCOPE_TABLE, CAST(NULL AS SMALLINT) AS SOURCE_DATA_TYPE, "
                + "C.IS_IDENTITY AS IS_AUTOINCREMENT, "
                + "CASE WHEN C.IS_GENERATED = 'ALWAYS' THEN 'YES' ELSE 'NO' END AS IS_GENERATEDCOLUMN "
                + "FROM INFORMATION_SCHEMA.COLUMNS C WHERE TRUE");
        List<Value> params = new ArrayList<>();
        like(sql, params, "C.TABLE_SCHEMA", schemaPattern);
        like(sql, params, "C.TABLE_NAME", tableNamePattern);
        like(sql, params, "C.COLUMN_NAME", columnNamePattern);
        sql.append(" ORDER BY TABLE_SCHEM, C.TABLE_NAME, C.ORDINAL_POSITION");
        return query(sql.toString(), params);
    }

    @Override
    public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT K.TABLE_CATALOG AS TABLE_CAT, K.TABLE_SCHEMA AS TABLE_SCHEM, "
                + "K.TABLE_NAME, K.COLUMN_NAME, CAST(K.ORDINAL_POSITION AS SMALLINT) AS KEY_SEQ, "
                + "K.CONSTRAINT_NAME AS PK_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS TC "
                + "JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE K ON K.CONSTRAINT_SCHEMA = TC.CONSTRAINT_SCHEMA "
                + "AND K.CONSTRAINT_NAME = TC.CONSTRAINT_NAME WHERE TC.CONSTRAINT_TYPE = 'PRIMARY KEY'");
        List<Value> params = new ArrayList<>();
        if (schema != null) {
            sql.append(" AND K.TABLE_SCHEMA = ?");
            params.add(Value.of(ValueType.VARCHAR, schema));
        }
        if (table != null) {
            sql.append(" AND K.TABLE_NAME = ?");
            params.add(Value.of(ValueType.VARCHAR, table));
        }
        sql.append(" ORDER BY K.COLUMN_NAME");
        return query(sql.toString(), params);
    }

    @Override
    public ResultSet getSchemas() throws SQLException {
        return getSchemas(null, null);
    }

    @Override
    public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT SCHEMA_NAME AS TABLE_SCHEM, CATALOG_NAME AS TABLE_CATALOG "
                + "FROM INFORMATION_SCHEMA.SCHEMATA WHERE TRUE");
        List<Value> params = new ArrayList<>();
        like(sql, params, "SCHEMA_NAME", schemaPattern);
        sql.append(" ORDER BY SCHEMA_NAME");
        return query(sql.toString(), params);
    }

    @Override
    public ResultSet getCatalogs() throws SQLException {
        return query("SELECT CATALOG_NAME AS TABLE_CAT FROM INFORMATION_SCHEMA.INFORMATION_SCHEMA_CATALOG_NAME",
                List.of());
    }

    @Override
    public ResultSet getTableTypes() {
        ColumnMeta col = new ColumnMeta("TABLE_TYPE", "TABLE_TYPE", "", "", ValueType.VARCHAR, Types.VARCHAR,
                "CHARACTER VARYING", 32, 0, ResultSetMetaData.columnNoNulls);
        List<List<Value>> rows = new ArrayList<>();
        for (String t : new String[] {"BASE TABLE", "GLOBAL TEMPORARY", "LOCAL TEMPORARY", "SYSTEM TABLE", "TABLE",
                "VIEW"}) {
            rows.add(List.of(Value.of(ValueType.VARCHAR, t)));
        }
        return new LockstepResultSet(new ResultData(List.of(col), rows));
    }

    // ---- identification ------------------------------------------------------------------------------------

    @Override
    public String getDatabaseProductName() {
        return "LockstepDB";
    }

    @Override
    public String getDatabaseProductVersion() {
        return LockstepDriver.VERSION;
    }

    @Override
    public int getDatabaseMajorVersion() {
        return LockstepDriver.MAJOR_VERSION;
    }

    @Override
    public int getDatabaseMinorVersion() {
        return LockstepDriver.MINOR_VERSION;
    }

    @Override
    public String getDriverName() {
        return LockstepDriver.NAME;
    }

    @Override
    public String getDriverVersion() {
        return LockstepDriver.VERSION;
    }

    @Override
    public int getDriverMajorVersion() {
        return LockstepDriver.MAJOR_VERSION;
    }

    @Override
    public int getDriverMinorVersion() {
        return LockstepDriver.MINOR_VERSION;
    }

    @Override
    public int getJDBCMajorVersion() {
        return 4;
    }

    @Override
    public int getJDBCMinorVersion() {
        return 2;
    }

    @Override
    public String getURL() {
        return connection.url().url();
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return connection.isReadOnly();
    }

    // ---- SQL dialect (H2) ----------------------------------------------------------------------------------

    @Override
    public String getIdentifierQuoteString() {
        return "\"";
    }

    @Override
    public String getSearchStringEscape() {
        return "\\";
    }

    @Override
    public String getCatalogSeparator() {
        return ".";
    }

    @Override
    public String getCatalogTerm() {
        return "catalog";
    }

    @Override
    public String getSchemaTerm() {
        return "schema";
    }

    @Override
    public String getProcedureTerm() {
        return "procedure";
    }

    @Override
    public int getSQLStateType() {
        return DatabaseMetaData.sqlStateSQL;
    }

    @Override
    public RowIdLifetime getRowIdLifetime() {
        return RowIdLifetime.ROWID_UNSUPPORTED;
    }

    @Override
    public boolean storesUpperCaseIdentifiers() {
        return true;
    }

    @Override
    public boolean storesMixedCaseQuotedIdentifiers() {
        return true;
    }

    @Override
    public boolean supportsMixedCaseQuotedIdentifiers() {
        return true;
    }

    @Override
    public boolean nullsAreSortedLow() {
        return true;
    }

    @Override
    public boolean nullPlusNonNullIsNull() {
        return true;
    }

    @Override
    public boolean allTablesAreSelectable() {
        return true;
    }

    @Override
    public boolean supportsAlterTableWithAddColumn() {
        return true;
    }

    @Override
    public boolean supportsAlterTableWithDropColumn() {
        return true;
    }

    @Override
    public boolean supportsColumnAliasing() {
        return true;
    }

    @Override
    public boolean supportsTableCorrelationNames() {
        return true;
    }

    @Override
    public boolean supportsExpressionsInOrderBy() {
        return true;
    }

    @Override
    public boolean supportsOrderByUnrelated() {
        return true;
    }

    @Override
    public boolean supportsGroupBy() {
        return true;
    }

    @Override
    public boolean supportsGroupByUnrelated() {
        return true;
    }

    @Override
    public boolean supportsGroupByBeyondSelect() {
        return true;
    }

    @Override
    public boolean supportsLikeEscapeClause() {
        return true;
    }

    @Override
    public boolean supportsNonNullableColumns() {
        return true;
    }

    @Override
    public boolean supportsMinimumSQLGrammar() {
        return true;
    }

    @Override
    public boolean supportsCoreSQLGrammar() {
        return true;
    }

    @Override
    public boolean supportsANSI92EntryLevelSQL() {
        return true;
    }

    @Override
    public boolean supportsIntegrityEnhancementFacility() {
        return true;
    }

    @Override
    public boolean supportsOuterJoins() {
        return true;
    }

    @Override
    public boolean supportsFullOuterJoins() {
        return false;
    }

    @Override
    public boolean supportsLimitedOuterJoins() {
        return true;
    }

    @Override
    public boolean supportsSchemasInDataManipulation() {
        return true;
    }

    @Override
    public boolean supportsSchemasInTableDefinitions() {
        return true;
    }

    @Override
    public boolean supportsSchemasInIndexDefinitions() {
        return true;
    }

    @Override
    public boolean supportsSchemasInPrivilegeDefinitions() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInComparisons() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInExists() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInIns() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInQuantifieds() {
        return true;
    }

    @Override
    public boolean supportsCorrelatedSubqueries() {
        return true;
    }

    @Override
    public boolean supportsUnion() {
        return true;
    }

    @Override
    public boolean supportsUnionAll() {
        return true;
    }

    // ---- transactions, results, batches --------------------------------------------------------------------

    /** Only auto-commit: no multi-statement transactions yet (a batch is atomic, though). */
    @Override
    public boolean supportsTransactions() {
        return false;
    }

    @Override
    public int getDefaultTransactionIsolation() throws SQLException {
        return connection.getTransactionIsolation();
    }

    @Override
    public boolean supportsTransactionIsolationLevel(int level) {
        return level == Connection.TRANSACTION_NONE;
    }

    @Override
    public boolean dataDefinitionCausesTransactionCommit() {
        return true;
    }

    @Override
    public boolean supportsResultSetType(int type) {
        return type == ResultSet.TYPE_FORWARD_ONLY || type == ResultSet.TYPE_SCROLL_INSENSITIVE;
    }

    @Override
    public boolean supportsResultSetConcurrency(int type, int concurrency) {
        return supportsResultSetType(type) && concurrency == ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public boolean supportsResultSetHoldability(int holdability) {
        return holdability == ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public int getResultSetHoldability() {
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public boolean supportsBatchUpdates() {
        return true;
    }

    @Override
    public boolean supportsGetGeneratedKeys() {
        return true;
    }

    @Override
    public boolean generatedKeyAlwaysReturned() {
        return true;
    }

    @Override
    public boolean supportsMultipleOpenResults() {
        return true;
    }

    @Override
    public String toString() {
        return "LockstepDatabaseMetaData[" + connection.url() + "]";
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
