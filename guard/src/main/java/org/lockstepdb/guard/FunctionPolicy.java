package org.lockstepdb.guard;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the guard does with each H2 function name. Built by going through H2 2.5's function reference
 * ({@code help.csv}) and the parser's built-in, window, aggregate and compatibility function lists; every
 * decision and its reason is in docs/SQL.md. A name not in this table is an unknown function and is
 * rejected (deny by default): Calcite's {@code isDeterministic()} says true for unknown functions, so it is
 * never consulted.
 */
final class FunctionPolicy {
    enum Rule {
        /** Deterministic everywhere. */
        ALLOW,
        /** RAND/RANDOM/RANDOM_UUID/UUID: replicas seed them from the log index; writes accept, DDL rejects. */
        REPLICA_SEEDED,
        /** Current time as a call (NOW(), CURDATE(), …): rewritten in writes, allowed in reads. */
        TIME,
        /** Reads the file system, host, session, or administers: rejected in writes and reads. */
        FORBIDDEN,
        /** Depends on the replica (host locale, JVM, storage, metadata ids) but harmless to read. */
        WRITE_DENIED,
        /** Random with no replica-side seeding (SECURE_RAND): writes reject, reads allow. */
        NONDETERMINISTIC,
        /** Advances a sequence: writes allow (ordered), reads reject. */
        SEQUENCE_NEXT,
        /** Session-scoped last generated value: rejected in writes and reads. */
        SEQUENCE_CURRENT,
        /** Depends on row order: writes reject, reads allow. */
        ROW_ORDER,
        /** Result depends on row order unless ORDER BY is given (aggregate argument or OVER clause). */
        NEEDS_ORDER_BY,
        /** Locale-dependent unless a locale argument (the 3rd) is given. */
        NEEDS_LOCALE
    }

    record Entry(Rule rule, String reason) { }

    private static final Map<String, Entry> TABLE = new HashMap<>(512);

    private static void put(Rule rule, String reason, String... names) {
        for (String n : names) {
            if (TABLE.put(n, new Entry(rule, reason)) != null) {
                throw new IllegalStateException("duplicate function policy: " + n);
            }
        }
    }

    static {
        // Deterministic functions (help.csv numeric, string, time arithmetic, system, JSON, table, aggregates).
        put(Rule.ALLOW, null,
                // numeric
                "ABS", "ACOS", "ASIN", "ATAN", "COS", "COSH", "COT", "SIN", "SINH", "TAN", "TANH", "ATAN2",
                "BITAND", "BITOR", "BITXOR", "BITNOT", "BITNAND", "BITNOR", "BITXNOR", "BITGET", "BITCOUNT",
                "LSHIFT", "RSHIFT", "ULSHIFT", "URSHIFT", "ROTATELEFT", "ROTATERIGHT", "MOD", "CEIL", "CEILING",
                "DEGREES", "EXP", "FLOOR", "LN", "LOG", "LOG10", "ORA_HASH", "RADIANS", "SQRT", "PI", "POWER",
                "ROUND", "ROUNDMAGIC", "SIGN", "ENCRYPT", "DECRYPT", "HASH", "TRUNC", "TRUNCATE", "COMPRESS",
                "EXPAND", "ZERO", "GCD", "LCM",
                // string
                "ASCII", "BIT_LENGTH", "CHAR_LENGTH", "CHARACTER_LENGTH", "LENGTH", "OCTET_LENGTH", "CHAR", "CHR",
                "CONCAT", "CONCAT_WS", "DIFFERENCE", "HEXTORAW", "RAWTOHEX", "INSERT", "LOWER", "LCASE", "UPPER",
                "UCASE", "LEFT", "RIGHT", "LOCATE", "INSTR", "POSITION", "LPAD", "RPAD", "LTRIM", "RTRIM", "BTRIM",
                "TRIM", "REGEXP_REPLACE", "REGEXP_LIKE", "REGEXP_SUBSTR", "REPEAT", "REPLACE", "SOUNDEX", "SPACE",
                "STRINGDECODE", "STRINGENCODE", "STRINGTOUTF8", "SUBSTRING", "SUBSTR", "UTF8TOSTRING",
                "QUOTE_IDENT", "XMLATTR", "XMLNODE", "XMLCOMMENT", "XMLCDATA", "XMLSTARTDOC", "XMLTEXT",
                "TRANSLATE",
                // date/time arithmetic on given values (session time zone is fixed to UTC on replicas)
                "DATEADD", "TIMESTAMPADD", "DATEDIFF", "TIMESTAMPDIFF", "DATE_TRUNC", "LAST_DAY", "DAYNAME",
                "MONTHNAME", "DAY", "DAY_OF_MONTH", "DAYOFMONTH", "ISO_DAY_OF_WEEK", "DAY_OF_YEAR", "DAYOFYEAR",
                "EXTRACT", "HOUR", "MINUTE", "MONTH", "QUARTER", "SECOND", "ISO_WEEK", "YEAR", "ISO_YEAR",
                // system (pure)
                "ARRAY_GET", "CARDINALITY", "ARRAY_LENGTH", "ARRAY_CONTAINS", "ARRAY_CAT", "ARRAY_APPEND",
                "ARRAY_MAX_CARDINALITY", "TRIM_ARRAY", "ARRAY_SLICE", "CASEWHEN", "COALESCE", "NVL", "IFNULL",
                "CONVERT", "DECODE", "SIGNAL", "GREATEST", "LEAST", "NULLIF", "NVL2", "TRUNCATE_VALUE", "CAST",
                // JSON
                "JSON_OBJECT", "JSON_ARRAY",
                // table functions
                "TABLE", "TABLE_DISTINCT", "UNNEST", "SYSTEM_RANGE",
                // aggregates whose result does not depend on row order
                "AVG", "MAX", "MIN", "SUM", "EVERY", "BOOL_AND", "ANY", "SOME", "BOOL_OR", "COUNT", "STDDEV_POP",
                "STDDEVP", "STDDEV_SAMP", "STDDEV", "VAR_POP", "VARP", "VAR_SAMP", "VAR", "VARIANCE",
                "BIT_AND_AGG", "BIT_AND", "BIT_OR_AGG", "BIT_OR", "BIT_XOR_AGG", "BIT_NAND_AGG", "BIT_NOR_AGG",
                "BIT_XNOR_AGG", "ENVELOPE", "GCD_AGG", "LCM_AGG", "COVAR_POP", "COVAR_SAMP", "CORR", "REGR_SLOPE",
                "REGR_INTERCEPT", "REGR_COUNT", "REGR_R2", "REGR_AVGX", "REGR_AVGY", "REGR_SXX", "REGR_SYY",
                "REGR_SXY", "PERCENTILE_CONT", "PERCENTILE_DISC", "MEDIAN", "MODE", "STATS_MODE", "HISTOGRAM",
                // window functions that require ORDER BY in H2 anyway, or whose value does not depend on order
                "RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST", "RATIO_TO_REPORT");

        put(Rule.REPLICA_SEEDED, "random; each replica computes it from a generator seeded with the log index",
                "RAND", "RANDOM", "RANDOM_UUID", "UUID");

        put(Rule.TIME, "reads the clock", "NOW", "CURDATE", "CURTIME", "SYSDATE", "SYSTIMESTAMP", "TODAY");

        put(Rule.FORBIDDEN, "reads or writes the server's file system", "FILE_READ", "FILE_WRITE", "CSVREAD",
                "CSVWRITE", "DATABASE_PATH");
        put(Rule.FORBIDDEN, "opens a connection to another database", "LINK_SCHEMA");
        put(Rule.FORBIDDEN, "reads the server's memory", "MEMORY_FREE", "MEMORY_USED");
        put(Rule.FORBIDDEN, "reads the replica's storage, which differs between replicas", "DISK_SPACE_USED",
                "DB_OBJECT_SIZE", "DB_OBJECT_TOTAL_SIZE", "DB_OBJECT_APPROXIMATE_SIZE",
                "DB_OBJECT_APPROXIMATE_TOTAL_SIZE");
        // USER(), SCHEMA(), CURRENT_USER … are replaced by the client connection's values (SessionFunction)
        put(Rule.FORBIDDEN, "reads the server session, which is not the client's", "SESSION_ID", "TRANSACTION_ID",
                "LOCK_TIMEOUT", "LOCK_MODE", "AUTOCOMMIT", "READONLY", "CURRENT_ROLE", "CURRENT_PATH");
        put(Rule.ALLOW, null, "DATABASE"); // the catalog: every replica's H2 database has the same fixed name
        put(Rule.FORBIDDEN, "acts on other sessions of the server", "ABORT_SESSION", "CANCEL_SESSION");

        put(Rule.WRITE_DENIED, "returns the H2 version of the replica, which may differ during an upgrade",
                "H2VERSION");
        put(Rule.WRITE_DENIED, "returns internal metadata (object ids, generated SQL) that may differ between replicas",
                "DB_OBJECT_ID", "DB_OBJECT_SQL", "DATA_TYPE_SQL", "ESTIMATED_ENVELOPE");
        put(Rule.WRITE_DENIED, "uses the replica JVM's default locale", "TO_CHAR", "DAY_OF_WEEK", "DAYOFWEEK",
                "WEEK");

        put(Rule.NEEDS_LOCALE, "uses the replica JVM's default locale when no locale argument is given",
                "FORMATDATETIME", "PARSEDATETIME");

        put(Rule.NONDETERMINISTIC, "returns cryptographically secure random bytes, which cannot be replayed",
                "SECURE_RAND");
        put(Rule.NONDETERMINISTIC, "is a random or clock function of another database's compatibility mode",
                "NEWID", "NEWSEQUENTIALID", "SYS_GUID", "GETDATE", "GETUTCDATE", "SYSDATETIME", "UNIX_TIMESTAMP");

        put(Rule.SEQUENCE_NEXT, "advances a sequence", "NEXTVAL");
        put(Rule.SEQUENCE_CURRENT, "returns the last value generated in the server session, not the client's",
                "CURRVAL", "LASTVAL", "SCOPE_IDENTITY", "LAST_INSERT_ID", "IDENTITY_VAL_LOCAL");

        put(Rule.ROW_ORDER, "returns a value that depends on the order rows are read in", "ROWNUM", "ANY_VALUE");

        put(Rule.NEEDS_ORDER_BY, "aggregates rows in the order they are read unless ORDER BY is given", "LISTAGG",
                "GROUP_CONCAT", "STRING_AGG", "ARRAY_AGG", "JSON_ARRAYAGG", "JSON_OBJECTAGG");
        put(Rule.NEEDS_ORDER_BY, "numbers or picks rows in the order they are read unless OVER (ORDER BY …) is given",
                "ROW_NUMBER", "NTILE", "LEAD", "LAG", "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE");
    }

    /** Date-time fields whose meaning follows the JVM's default locale (first day of week). */
    static final Set<String> LOCALE_FIELDS = Set.of("WEEK", "WK", "WW", "SQL_TSI_WEEK", "DAY_OF_WEEK", "DAYOFWEEK",
            "WEEK_YEAR");

    /** Functions whose first argument is a date-time field. */
    static final Set<String> FIELD_FUNCTIONS = Set.of("EXTRACT", "DATE_TRUNC", "DATEADD", "TIMESTAMPADD", "DATEDIFF",
            "TIMESTAMPDIFF");

    /**
     * Words that H2 reads as functions without parentheses. Only unquoted: {@code "CURRENT_DATE"} is a column.
     */
    static final Map<String, TimeFunction> NILADIC_TIME = Map.of("CURRENT_TIMESTAMP", TimeFunction.CURRENT_TIMESTAMP,
            "LOCALTIMESTAMP", TimeFunction.LOCALTIMESTAMP, "CURRENT_DATE", TimeFunction.CURRENT_DATE, "CURRENT_TIME",
            TimeFunction.CURRENT_TIME, "LOCALTIME", TimeFunction.LOCALTIME);

    /** Session words H2 reads without parentheses (some are replaced, see {@link SessionFunction}). */
    static final Set<String> NILADIC_SESSION = Set.of("CURRENT_USER", "USER", "SESSION_USER", "SYSTEM_USER",
            "CURRENT_ROLE", "CURRENT_SCHEMA", "CURRENT_CATALOG", "CURRENT_PATH");

    /** Type names that take a parenthesized length/precision: {@code VARCHAR(10)} is not a call. */
    static final Set<String> TYPE_NAMES = Set.of("VARCHAR", "CHAR", "CHARACTER", "VARYING", "NCHAR", "NVARCHAR",
            "VARCHAR2", "NVARCHAR2", "VARCHAR_CASESENSITIVE", "VARCHAR_IGNORECASE", "LONGVARCHAR", "CLOB", "NCLOB",
            "BLOB", "BINARY", "VARBINARY", "LONGVARBINARY", "BIT", "DECIMAL", "DEC", "NUMERIC", "NUMBER", "FLOAT",
            "DECFLOAT", "TIMESTAMP", "TIME", "DATETIME", "DATETIME2", "SMALLDATETIME", "OBJECT", "ENUM", "GEOMETRY",
            "ROW", "JSON", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT",
            "RAW", "BYTEA", "IMAGE", "INTERVAL", "PRECISION");

    /**
     * Keywords that may be directly followed by {@code (} without being a function call (row values,
     * subqueries, column lists, window and constraint syntax).
     */
    static final Set<String> STRUCTURAL = Set.of("VALUES", "IN", "EXISTS", "OVER", "FILTER", "AS", "AND", "OR",
            "NOT", "ON", "USING", "SELECT", "WHERE", "FROM", "JOIN", "BY", "WHEN", "THEN", "ELSE", "UNION",
            "INTERSECT", "EXCEPT", "MINUS", "ALL", "DISTINCT", "ARRAY", "LIKE", "ILIKE", "REGEXP", "BETWEEN", "IS",
            "DEFAULT", "LATERAL", "KEY", "UNIQUE", "CHECK", "ADD", "GROUP", "WITHIN", "HAVING", "QUALIFY", "CASE",
            "LIMIT", "OFFSET", "FETCH", "FIRST", "NEXT", "TOP", "ESCAPE", "TO", "IDENTITY", "GENERATED", "CUBE",
            "ROLLUP", "SETS", "INTO", "WITH", "RETURN", "COLUMN", "PRIMARY", "FOREIGN", "REFERENCES", "SET",
            "NULLS", "PARTITION", "WINDOW", "RANGE", "ROWS", "GROUPS", "UPDATE", "MATCHED", "INCLUDE", "SYMMETRIC",
            "ASYMMETRIC", "OF", "TABLE", "INDEX", "AUTO_INCREMENT", "VALUE", "RECURSIVE", "CONSTRAINT", "MODIFY",
            "ALTER");

    private FunctionPolicy() {
    }

    static Entry lookup(String upperName) {
        return TABLE.get(upperName);
    }

    static Map<String, Entry> table() {
        return java.util.Collections.unmodifiableMap(TABLE);
    }
}
