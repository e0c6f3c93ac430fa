package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The schemas LockstepDB keeps for itself in every replica's H2 database, out of reach of user statements.
 *
 * <ul>
 *   <li>{@link #STATE} ({@code LOCKSTEP_SYS}) holds the replica's bookkeeping: the applied index and the restores
 *       being staged through the log. It is never on any session's schema search path, so an unqualified name
 *       such as {@code APPLIED} can only mean a user table; the determinism guard refuses any statement that
 *       names the schema, and {@link WriteGuard} refuses it again on every replica.</li>
 *   <li>{@link #FUNCTIONS} ({@code LOCKSTEP_FN}) holds only the deterministic RAND/UUID aliases of
 *       {@link DeterministicFunctions}; it is on the apply session's search path (H2 finds the aliases that
 *       override its built-ins there) and holds no table, so no unqualified table name resolves into it.</li>
 * </ul>
 * Checksums, snapshots and backups cover every schema except these and {@code INFORMATION_SCHEMA}.
 */
final class SystemSchemas {
    static final String STATE = "LOCKSTEP_SYS";
    static final String FUNCTIONS = "LOCKSTEP_FN";
    /** The schemas that are not user data, as they appear in INFORMATION_SCHEMA. */
    static final List<String> NOT_USER_DATA = List.of("INFORMATION_SCHEMA", STATE, FUNCTIONS);
    /** SQL predicate tail: {@code <schema column> NOT IN ('INFORMATION_SCHEMA', 'LOCKSTEP_SYS', 'LOCKSTEP_FN')}. */
    static final String NOT_IN_USER_DATA = "NOT IN ('" + String.join("', '", NOT_USER_DATA) + "')";

    private SystemSchemas() {
    }

    /** The user schemas of the database, sorted by name: every schema but {@link #NOT_USER_DATA}. */
    static List<String> userSchemas(Connection c) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME "
                     + NOT_IN_USER_DATA + " ORDER BY SCHEMA_NAME")) {
            while (rs.next()) {
                schemas.add(rs.getString(1));
            }
        }
        return schemas;
    }

    /**
     * The reserved schema that a statement names outside string literals and comments (in any letter case,
     * quoted or not), or null.
     *
     * @param code the statement as {@link SqlText#code(String, org.lockstepdb.protocol.sql.SqlLexer.Lexed)} returns it
     */
    static String reservedSchemaNamedIn(String code) {
        for (String schema : List.of(STATE, FUNCTIONS)) {
            if (code.contains(schema)) {
                return schema;
            }
        }
        return null;
    }
}
