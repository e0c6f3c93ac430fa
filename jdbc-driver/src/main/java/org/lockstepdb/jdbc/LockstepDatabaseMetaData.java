package org.lockstepdb.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;

/**
 * Database metadata: every answer of {@code DatabaseMetaData} in one place, grouped by subject. Tables, columns,
 * schemas, catalogs and primary keys are looked up in H2's {@code INFORMATION_SCHEMA} ({@link MetadataQueries});
 * the other lookups answer an empty result. Everything else is a constant: a product decision or a fact of
 * the H2 dialect, commented where it is a decision. Constant answers are written one per line, as a table.
 */
public class LockstepDatabaseMetaData implements DatabaseMetaData {
    private final LockstepConnection connection;
    private final MetadataQueries queries;

    LockstepDatabaseMetaData(LockstepConnection connection) {
        this.connection = connection;
        this.queries = new MetadataQueries(connection);
    }

    // ---- catalog lookups (INFORMATION_SCHEMA) --------------------------------------------------------------

    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
            throws SQLException {
        return queries.tables(schemaPattern, tableNamePattern, types);
    }

    @Override
    public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern,
                                String columnNamePattern) throws SQLException {
        return queries.columns(schemaPattern, tableNamePattern, columnNamePattern);
    }

    @Override
    public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
        return queries.primaryKeys(schema, table);
    }

    @Override
    public ResultSet getSchemas() throws SQLException {
        return getSchemas(null, null);
    }

    @Override
    public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
        return queries.schemas(schemaPattern);
    }

    @Override
    public ResultSet getCatalogs() throws SQLException {
        return queries.catalogs();
    }

    @Override
    public ResultSet getTableTypes() {
        return MetadataQueries.tableTypes();
    }

    // ---- lookups answered with an empty result (not looked up: no tool we know of needs them yet) ----------

    @Override
    public ResultSet getAttributes(String c, String s, String t, String a) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getBestRowIdentifier(String c, String s, String t, int scope, boolean nullable) {
        return MetadataQueries.empty();
    }
    @Override
    public ResultSet getClientInfoProperties() { return MetadataQueries.empty(); }
    @Override
    public ResultSet getColumnPrivileges(String c, String s, String t, String col) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getCrossReference(String pc, String ps, String pt, String fc, String fs, String ft) {
        return MetadataQueries.empty();
    }
    @Override
    public ResultSet getExportedKeys(String c, String s, String t) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getFunctionColumns(String c, String s, String f, String col) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getFunctions(String c, String s, String f) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getImportedKeys(String c, String s, String t) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getIndexInfo(String c, String s, String t, boolean unique, boolean approximate) {
        return MetadataQueries.empty();
    }
    @Override
    public ResultSet getProcedureColumns(String c, String s, String p, String col) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getProcedures(String c, String s, String p) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getPseudoColumns(String c, String s, String t, String col) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getSuperTables(String c, String s, String t) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getSuperTypes(String c, String s, String t) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getTablePrivileges(String c, String s, String t) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getTypeInfo() { return MetadataQueries.empty(); }
    @Override
    public ResultSet getUDTs(String c, String s, String t, int[] types) { return MetadataQueries.empty(); }
    @Override
    public ResultSet getVersionColumns(String c, String s, String t) { return MetadataQueries.empty(); }

    // ---- identification ------------------------------------------------------------------------------------

    // H2's identity, at the embedded version: tools must pick their H2 support (see DatabaseIdentity)
    @Override public String getDatabaseProductName() { return DatabaseIdentity.PRODUCT_NAME; }
    @Override public String getDatabaseProductVersion() { return DatabaseIdentity.PRODUCT_VERSION; }
    @Override public int getDatabaseMajorVersion() { return DatabaseIdentity.MAJOR_VERSION; }
    @Override public int getDatabaseMinorVersion() { return DatabaseIdentity.MINOR_VERSION; }
    @Override public String getDriverName() { return LockstepDriver.NAME; }
    @Override public String getDriverVersion() { return LockstepDriver.VERSION; }
    @Override public int getDriverMajorVersion() { return LockstepDriver.MAJOR_VERSION; }
    @Override public int getDriverMinorVersion() { return LockstepDriver.MINOR_VERSION; }
    @Override public int getJDBCMajorVersion() { return 4; }
    @Override public int getJDBCMinorVersion() { return 2; }
    @Override public String getURL() { return connection.url().url(); }
    /** No user names: the cluster has no authentication yet. */
    @Override public String getUserName() { return connection.sessionUser(); }
    @Override public Connection getConnection() { return connection; }
    @Override public boolean isReadOnly() throws SQLException { return connection.isReadOnly(); }

    // ---- the SQL dialect (facts of H2, which runs every statement) -----------------------------------------

    @Override public String getIdentifierQuoteString() { return "\""; }
    @Override public String getSearchStringEscape() { return "\\"; }
    @Override public String getCatalogSeparator() { return "."; }
    @Override public String getCatalogTerm() { return "catalog"; }
    @Override public String getSchemaTerm() { return "schema"; }
    @Override public String getProcedureTerm() { return "procedure"; }
    @Override public boolean isCatalogAtStart() { return false; }
    @Override public int getSQLStateType() { return DatabaseMetaData.sqlStateSQL; }
    /** Keyword and function lists are not given (empty): H2's change between versions. */
    @Override public String getSQLKeywords() { return ""; }
    @Override public String getNumericFunctions() { return ""; }
    @Override public String getStringFunctions() { return ""; }
    @Override public String getSystemFunctions() { return ""; }
    @Override public String getTimeDateFunctions() { return ""; }
    @Override public String getExtraNameCharacters() { return ""; }
    @Override public boolean storesUpperCaseIdentifiers() { return true; }
    @Override public boolean storesLowerCaseIdentifiers() { return false; }
    @Override public boolean storesMixedCaseIdentifiers() { return false; }
    @Override public boolean supportsMixedCaseIdentifiers() { return false; }
    @Override public boolean storesUpperCaseQuotedIdentifiers() { return false; }
    @Override public boolean storesLowerCaseQuotedIdentifiers() { return false; }
    @Override public boolean storesMixedCaseQuotedIdentifiers() { return true; }
    @Override public boolean supportsMixedCaseQuotedIdentifiers() { return true; }
    @Override public boolean nullsAreSortedLow() { return true; }
    @Override public boolean nullsAreSortedHigh() { return false; }
    @Override public boolean nullsAreSortedAtStart() { return false; }
    @Override public boolean nullsAreSortedAtEnd() { return false; }
    @Override public boolean nullPlusNonNullIsNull() { return true; }

    // ---- SQL support ---------------------------------------------------------------------------------------

    @Override public boolean allTablesAreSelectable() { return true; }
    @Override public boolean allProceduresAreCallable() { return false; }
    @Override public boolean supportsAlterTableWithAddColumn() { return true; }
    @Override public boolean supportsAlterTableWithDropColumn() { return true; }
    @Override public boolean supportsColumnAliasing() { return true; }
    @Override public boolean supportsTableCorrelationNames() { return true; }
    @Override public boolean supportsDifferentTableCorrelationNames() { return false; }
    @Override public boolean supportsConvert() { return false; }
    @Override public boolean supportsConvert(int fromType, int toType) { return false; }
    @Override public boolean supportsExpressionsInOrderBy() { return true; }
    @Override public boolean supportsOrderByUnrelated() { return true; }
    @Override public boolean supportsGroupBy() { return true; }
    @Override public boolean supportsGroupByUnrelated() { return true; }
    @Override public boolean supportsGroupByBeyondSelect() { return true; }
    @Override public boolean supportsLikeEscapeClause() { return true; }
    @Override public boolean supportsNonNullableColumns() { return true; }
    @Override public boolean supportsMinimumSQLGrammar() { return true; }
    @Override public boolean supportsCoreSQLGrammar() { return true; }
    @Override public boolean supportsExtendedSQLGrammar() { return false; }
    @Override public boolean supportsANSI92EntryLevelSQL() { return true; }
    @Override public boolean supportsANSI92IntermediateSQL() { return false; }
    @Override public boolean supportsANSI92FullSQL() { return false; }
    @Override public boolean supportsIntegrityEnhancementFacility() { return true; }
    @Override public boolean supportsOuterJoins() { return true; }
    @Override public boolean supportsFullOuterJoins() { return false; }
    @Override public boolean supportsLimitedOuterJoins() { return true; }
    @Override public boolean supportsSchemasInDataManipulation() { return true; }
    @Override public boolean supportsSchemasInTableDefinitions() { return true; }
    @Override public boolean supportsSchemasInIndexDefinitions() { return true; }
    @Override public boolean supportsSchemasInPrivilegeDefinitions() { return true; }
    @Override public boolean supportsSchemasInProcedureCalls() { return false; }
    @Override public boolean supportsCatalogsInDataManipulation() { return false; }
    @Override public boolean supportsCatalogsInTableDefinitions() { return false; }
    @Override public boolean supportsCatalogsInIndexDefinitions() { return false; }
    @Override public boolean supportsCatalogsInPrivilegeDefinitions() { return false; }
    @Override public boolean supportsCatalogsInProcedureCalls() { return false; }
    @Override public boolean supportsSubqueriesInComparisons() { return true; }
    @Override public boolean supportsSubqueriesInExists() { return true; }
    @Override public boolean supportsSubqueriesInIns() { return true; }
    @Override public boolean supportsSubqueriesInQuantifieds() { return true; }
    @Override public boolean supportsCorrelatedSubqueries() { return true; }
    @Override public boolean supportsUnion() { return true; }
    @Override public boolean supportsUnionAll() { return true; }
    /** Decision: SELECT ... FOR UPDATE is refused by the guard (a lock cannot be replicated). */
    @Override public boolean supportsSelectForUpdate() { return false; }
    /** Decision: no positioned updates (results are read-only snapshots). */
    @Override public boolean supportsPositionedDelete() { return false; }
    @Override public boolean supportsPositionedUpdate() { return false; }
    /** Decision: no stored procedures or CALL-syntax functions (user code would run differently per replica). */
    @Override public boolean supportsStoredProcedures() { return false; }
    @Override public boolean supportsStoredFunctionsUsingCallSyntax() { return false; }
    @Override public boolean supportsNamedParameters() { return false; }

    // ---- transactions: interactive, strictly serializable; DDL commits first and runs alone (as in H2) -----

    @Override public boolean supportsTransactions() { return true; }
    @Override public int getDefaultTransactionIsolation() { return Connection.TRANSACTION_SERIALIZABLE; }
    /** Every level is accepted and runs SERIALIZABLE (JDBC allows a stronger level than asked); NONE is not offered. */
    @Override public boolean supportsTransactionIsolationLevel(int level) {
        return level == Connection.TRANSACTION_READ_UNCOMMITTED || level == Connection.TRANSACTION_READ_COMMITTED
                || level == Connection.TRANSACTION_REPEATABLE_READ || level == Connection.TRANSACTION_SERIALIZABLE;
    }
    @Override public boolean supportsMultipleTransactions() { return true; }
    @Override public boolean supportsDataDefinitionAndDataManipulationTransactions() { return false; }
    @Override public boolean supportsDataManipulationTransactionsOnly() { return true; }
    @Override public boolean dataDefinitionCausesTransactionCommit() { return true; }
    @Override public boolean dataDefinitionIgnoredInTransactions() { return false; }
    @Override public boolean supportsSavepoints() { return true; }
    @Override public boolean supportsOpenCursorsAcrossCommit() { return false; }
    @Override public boolean supportsOpenCursorsAcrossRollback() { return false; }
    @Override public boolean supportsOpenStatementsAcrossCommit() { return false; }
    @Override public boolean supportsOpenStatementsAcrossRollback() { return false; }
    @Override public boolean autoCommitFailureClosesAllResultSets() { return false; }

    // ---- results, batches, keys (decision: results are materialized, read-only snapshots) ------------------

    @Override public boolean supportsResultSetType(int type) {
        return type == ResultSet.TYPE_FORWARD_ONLY || type == ResultSet.TYPE_SCROLL_INSENSITIVE;
    }
    @Override public boolean supportsResultSetConcurrency(int type, int concurrency) {
        return supportsResultSetType(type) && concurrency == ResultSet.CONCUR_READ_ONLY;
    }
    @Override public boolean supportsResultSetHoldability(int holdability) {
        return holdability == ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }
    @Override public int getResultSetHoldability() { return ResultSet.HOLD_CURSORS_OVER_COMMIT; }
    /** A snapshot never sees changes, its own or others'. */
    @Override public boolean ownUpdatesAreVisible(int type) { return false; }
    @Override public boolean ownDeletesAreVisible(int type) { return false; }
    @Override public boolean ownInsertsAreVisible(int type) { return false; }
    @Override public boolean othersUpdatesAreVisible(int type) { return false; }
    @Override public boolean othersDeletesAreVisible(int type) { return false; }
    @Override public boolean othersInsertsAreVisible(int type) { return false; }
    @Override public boolean updatesAreDetected(int type) { return false; }
    @Override public boolean deletesAreDetected(int type) { return false; }
    @Override public boolean insertsAreDetected(int type) { return false; }
    @Override public boolean supportsBatchUpdates() { return true; }
    @Override public boolean supportsGetGeneratedKeys() { return true; }
    @Override public boolean generatedKeyAlwaysReturned() { return true; }
    @Override public boolean supportsMultipleOpenResults() { return true; }
    @Override public boolean supportsMultipleResultSets() { return false; }
    @Override public boolean supportsStatementPooling() { return false; }
    @Override public RowIdLifetime getRowIdLifetime() { return RowIdLifetime.ROWID_UNSUPPORTED; }
    @Override public boolean locatorsUpdateCopy() { return false; }
    @Override public boolean usesLocalFiles() { return false; }
    @Override public boolean usesLocalFilePerTable() { return false; }

    // ---- limits: 0 = no limit known (H2's limits are far above what the log accepts per entry) -------------

    @Override public int getMaxBinaryLiteralLength() { return 0; }
    @Override public int getMaxCharLiteralLength() { return 0; }
    @Override public int getMaxCatalogNameLength() { return 0; }
    @Override public int getMaxSchemaNameLength() { return 0; }
    @Override public int getMaxTableNameLength() { return 0; }
    @Override public int getMaxColumnNameLength() { return 0; }
    @Override public int getMaxCursorNameLength() { return 0; }
    @Override public int getMaxProcedureNameLength() { return 0; }
    @Override public int getMaxUserNameLength() { return 0; }
    @Override public int getMaxColumnsInGroupBy() { return 0; }
    @Override public int getMaxColumnsInIndex() { return 0; }
    @Override public int getMaxColumnsInOrderBy() { return 0; }
    @Override public int getMaxColumnsInSelect() { return 0; }
    @Override public int getMaxColumnsInTable() { return 0; }
    @Override public int getMaxTablesInSelect() { return 0; }
    @Override public int getMaxIndexLength() { return 0; }
    @Override public int getMaxRowSize() { return 0; }
    @Override public boolean doesMaxRowSizeIncludeBlobs() { return false; }
    @Override public int getMaxStatementLength() { return 0; }
    @Override public int getMaxStatements() { return 0; }
    @Override public int getMaxConnections() { return 0; }

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
