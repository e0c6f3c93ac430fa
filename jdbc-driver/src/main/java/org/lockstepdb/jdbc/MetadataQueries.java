package org.lockstepdb.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

/**
 * The catalog lookups of {@link LockstepDatabaseMetaData}: queries on H2's {@code INFORMATION_SCHEMA}, sent
 * through the connection's normal query path (its read consistency), answering with the JDBC-standard column
 * names. Catalog arguments are ignored (there is one catalog); patterns use {@code LIKE} with {@code \\}.
 */
final class MetadataQueries {
    private final LockstepConnection connection;

    MetadataQueries(LockstepConnection connection) {
        this.connection = connection;
    }

    /** An empty result, for lookups this driver answers with nothing. */
    static ResultSet empty() {
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

    /** {@code getTables}: INFORMATION_SCHEMA.TABLES with JDBC column names; H2's BASE TABLE is reported as TABLE. */
    ResultSet tables(String schemaPattern, String tableNamePattern, String[] types) throws SQLException {
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
                return empty();
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

    /** {@code getColumns}: INFORMATION_SCHEMA.COLUMNS with JDBC column names and {@link java.sql.Types} codes. */
    ResultSet columns(String schemaPattern, String tableNamePattern, String columnNamePattern)
            throws SQLException {
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

    /** {@code getPrimaryKeys}: exact (not pattern) schema and table names; null matches any. */
    ResultSet primaryKeys(String schema, String table) throws SQLException {
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

    ResultSet schemas(String schemaPattern) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT SCHEMA_NAME AS TABLE_SCHEM, CATALOG_NAME AS TABLE_CATALOG "
                + "FROM INFORMATION_SCHEMA.SCHEMATA WHERE TRUE");
        List<Value> params = new ArrayList<>();
        like(sql, params, "SCHEMA_NAME", schemaPattern);
        sql.append(" ORDER BY SCHEMA_NAME");
        return query(sql.toString(), params);
    }

    ResultSet catalogs() throws SQLException {
        return query("SELECT CATALOG_NAME AS TABLE_CAT FROM INFORMATION_SCHEMA.INFORMATION_SCHEMA_CATALOG_NAME",
                List.of());
    }

    /** The table types {@link #tables} can report, as a constant result. */
    static ResultSet tableTypes() {
        ColumnMeta col = new ColumnMeta("TABLE_TYPE", "TABLE_TYPE", "", "", ValueType.VARCHAR, Types.VARCHAR,
                "CHARACTER VARYING", 32, 0, ResultSetMetaData.columnNoNulls);
        List<List<Value>> rows = new ArrayList<>();
        for (String t : new String[] {"BASE TABLE", "GLOBAL TEMPORARY", "LOCAL TEMPORARY", "SYSTEM TABLE", "TABLE",
                "VIEW"}) {
            rows.add(List.of(Value.of(ValueType.VARCHAR, t)));
        }
        return new LockstepResultSet(new ResultData(List.of(col), rows));
    }
}
