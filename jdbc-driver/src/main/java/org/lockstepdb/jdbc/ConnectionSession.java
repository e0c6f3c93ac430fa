package org.lockstepdb.jdbc;

import java.sql.SQLException;
import java.util.List;

import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.SessionValues;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;

/**
 * A connection's session values, sent with every query and write ({@link SessionValues}): its user (the URL's
 * {@code user}, upper-cased as H2 does; "" when none) and its current schema ({@code setSchema}, exact case as
 * in H2, PUBLIC at first). The catalog is the cluster's one database name, looked up once.
 */
final class ConnectionSession {
    private final String user;
    private volatile SessionValues values;
    private volatile String catalog;

    ConnectionSession(String user) {
        this.user = user;
        this.values = new SessionValues(user, "");
    }

    SessionValues values() {
        return values;
    }

    String user() {
        return user;
    }

    String schema() {
        return values.effectiveSchema();
    }

    /**
     * Makes {@code schema} (exact name, as H2's {@code setSchema}) current after checking it exists.
     *
     * @throws SQLException 90079 (H2's "schema not found") when there is no such schema
     */
    void setSchema(LockstepConnection connection, String schema) throws SQLException {
        checkName(schema);
        ResultData found = connection.queryData("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE "
                + "SCHEMA_NAME = ?", List.of(Value.of(ValueType.VARCHAR, schema)));
        if (found.rows().isEmpty()) {
            throw new SQLException("Schema \"" + schema + "\" not found", "90079", 90079);
        }
        follow(schema);
    }

    /**
     * @throws SQLException 90079 for a null or over-long name (no schema has one), 42L05 for LockstepDB's own
     *                      schemas ({@link SessionValues#lockstepSchema}), which hold the replicas' bookkeeping
     */
    static void checkName(String schema) throws SQLException {
        if (schema == null || schema.length() > SessionValues.MAX_NAME_LENGTH) {
            throw new SQLException("Schema " + (schema == null ? "null" : "name longer than "
                    + SessionValues.MAX_NAME_LENGTH + " characters") + " not found", "90079", 90079);
        }
        if (SessionValues.lockstepSchema(schema)) {
            throw new SQLException("Schema " + schema + " is reserved: it holds LockstepDB's own bookkeeping, which "
                    + "no connection may use; setSchema to a user schema", "42L05", 7005);
        }
    }

    /**
     * Makes {@code schema} current without checking it: the open transaction's home replica switched to it (its
     * existence checked there). Later queries, writes and DDL beside the transaction use it too.
     */
    void follow(String schema) {
        values = new SessionValues(user, schema.equals(SessionValues.DEFAULT_SCHEMA) ? "" : schema);
    }

    /** The database's name, as {@code CURRENT_CATALOG} and INFORMATION_SCHEMA report it (the same on every replica). */
    String catalog(LockstepConnection connection) throws SQLException {
        String c = catalog;
        if (c == null) {
            ResultData r = connection.queryData("SELECT CATALOG_NAME FROM INFORMATION_SCHEMA.INFORMATION_SCHEMA_CATALOG_NAME",
                    List.of());
            c = r.rows().isEmpty() ? "" : String.valueOf(r.rows().get(0).get(0).value());
            catalog = c;
        }
        return c;
    }
}
