package org.lockstepdb.protocol.sql;

import java.util.Set;

/**
 * The coarse kind of an SQL statement. For a statement LockstepDB accepts it follows from its
 * {@link StatementKind}; for one it refuses ({@code SHOW}, {@code CREATE ALIAS}, {@code SET}, …) from its first
 * word, so that the storage's last-line checks (DDL alone, only DML and DDL in a write) treat a refused
 * statement that reached a replica as what it is.
 */
public enum SqlKind {
    QUERY, DML, DDL, OTHER;

    private static final Set<String> QUERY_WORDS = Set.of("SELECT", "WITH", "VALUES", "TABLE", "SHOW", "EXPLAIN");
    private static final Set<String> DML_WORDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE");
    private static final Set<String> DDL_WORDS = Set.of("CREATE", "ALTER", "DROP", "TRUNCATE", "COMMENT",
            "GRANT", "REVOKE", "ANALYZE");

    /** The kind a statement starting with {@code word} (upper case; "" if none) has. */
    static SqlKind ofFirstWord(String word) {
        if (QUERY_WORDS.contains(word)) {
            return QUERY;
        }
        if (DML_WORDS.contains(word)) {
            return DML;
        }
        if (DDL_WORDS.contains(word)) {
            return DDL;
        }
        return OTHER;
    }
}
