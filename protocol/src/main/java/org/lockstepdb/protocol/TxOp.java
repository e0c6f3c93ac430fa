package org.lockstepdb.protocol;

import java.util.Objects;

/**
 * One operation of an interactive transaction's script: an SQL statement with its parameter sets (a query or
 * DML), or a savepoint operation. Savepoint operations are kept as operations, not SQL text, so that every
 * replica replays them exactly (they are not SQL a client may send: the classifier refuses transaction control).
 *
 * @param statement the statement of a {@link Kind#STATEMENT}; null for the savepoint kinds
 * @param savepoint the savepoint name of the savepoint kinds; null for a statement
 */
public record TxOp(Kind kind, SqlStatement statement, String savepoint) {
    /** What an operation does. Tags are part of the log format: never renumber. */
    public enum Kind {
        /** Run {@link #statement()}. */
        STATEMENT(0),
        /** {@code Connection.setSavepoint(name)}: a later name equal to an earlier one replaces it. */
        SAVEPOINT(1),
        /** {@code Connection.rollback(savepoint)}: undoes what ran after it; it and earlier savepoints stay. */
        ROLLBACK_TO(2),
        /** {@code Connection.releaseSavepoint(savepoint)}: forgets it (and the ones set after it). */
        RELEASE(3);

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
        if ((kind == Kind.STATEMENT) != (statement != null) || (kind == Kind.STATEMENT) == (savepoint != null)) {
            throw new IllegalArgumentException(kind + " needs " + (kind == Kind.STATEMENT ? "a statement and no "
                    + "savepoint name" : "a savepoint name and no statement"));
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

    /** For messages: the statement text (abbreviated) or the savepoint operation. */
    public String describe() {
        if (kind != Kind.STATEMENT) {
            return kind + " " + savepoint;
        }
        String sql = statement.sql().strip();
        return sql.length() <= 120 ? sql : sql.substring(0, 120) + "...";
    }
}
