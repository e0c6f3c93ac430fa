package org.lockstepdb.protocol;

import java.util.Objects;

/**
 * One operation of an interactive transaction's script: an SQL statement with its parameter sets (a query or
 * DML), a savepoint operation, or a switch of the current schema. These are kept as operations, not SQL text, so
 * that every replica replays them exactly (they are not SQL a client may send: the classifier refuses
 * transaction control and SET).
 *
 * @param statement the statement of a {@link Kind#STATEMENT}; null for the other kinds
 * @param name      the savepoint name of the savepoint kinds, the schema name (exact case) of
 *                  {@link Kind#SET_SCHEMA}; null for a statement
 */
public record TxOp(Kind kind, SqlStatement statement, String name) {
    /** What an operation does. Tags are part of the log format: never renumber. */
    public enum Kind {
        /** Run {@link #statement()}. */
        STATEMENT(0),
        /** {@code Connection.setSavepoint(name)}: a later name equal to an earlier one replaces it. */
        SAVEPOINT(1),
        /** {@code Connection.rollback(savepoint)}: undoes what ran after it; it and earlier savepoints stay. */
        ROLLBACK_TO(2),
        /** {@code Connection.releaseSavepoint(savepoint)}: forgets it (and the ones set after it). */
        RELEASE(3),
        /**
         * {@code Connection.setSchema(name)}: unqualified names of the following operations resolve in that schema.
         * As in H2 it is session state, not undone by a rollback (to a savepoint). Message format version 7.
         */
        SET_SCHEMA(4);

        private final int tag;

        Kind(int tag) {
            this.tag = tag;
        }

        public int tag() {
            return tag;
        }

        public static Kind ofTag(int tag) {
            for (Kind k : values()) {
                if (k.tag == tag) {
                    return k;
                }
            }
            throw new ProtocolException("unknown transaction operation tag " + tag);
        }
    }

    public TxOp {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.STATEMENT) != (statement != null) || (kind == Kind.STATEMENT) == (name != null)) {
            throw new IllegalArgumentException(kind + " needs " + (kind == Kind.STATEMENT ? "a statement and no "
                    + "name" : "a name and no statement"));
        }
    }

    public static TxOp statement(SqlStatement statement) {
        return new TxOp(Kind.STATEMENT, statement, null);
    }

    public static TxOp savepoint(String name) {
        return new TxOp(Kind.SAVEPOINT, null, name);
    }

    public static TxOp rollbackTo(String name) {
        return new TxOp(Kind.ROLLBACK_TO, null, name);
    }

    public static TxOp release(String name) {
        return new TxOp(Kind.RELEASE, null, name);
    }

    /** {@code Connection.setSchema(schema)} inside the transaction ({@code schema}: exact case). */
    public static TxOp setSchema(String schema) {
        return new TxOp(Kind.SET_SCHEMA, null, schema);
    }

    /** For messages: the statement text (abbreviated), the savepoint operation or the schema switch. */
    public String describe() {
        if (kind != Kind.STATEMENT) {
            return kind + " " + name;
        }
        String sql = statement.sql().strip();
        return sql.length() <= 120 ? sql : sql.substring(0, 120) + "...";
    }
}
