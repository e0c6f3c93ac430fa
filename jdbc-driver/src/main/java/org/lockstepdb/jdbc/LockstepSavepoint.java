package org.lockstepdb.jdbc;

import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * A savepoint of an open transaction. An unnamed savepoint ({@code setSavepoint()}) has an id and the internal
 * name {@code LOCKSTEP_SP_<id>}; a named one has no id (JDBC: {@code getSavepointId} fails with HY024).
 */
final class LockstepSavepoint implements Savepoint {
    private final int id;
    private final String name;
    /** The transaction it belongs to: a savepoint of an ended transaction is refused (3B001). */
    final Object transaction;

    private LockstepSavepoint(int id, String name, Object transaction) {
        this.id = id;
        this.name = name;
        this.transaction = transaction;
    }

    static LockstepSavepoint unnamed(int id, Object transaction) {
        return new LockstepSavepoint(id, null, transaction);
    }

    static LockstepSavepoint named(String name, Object transaction) {
        return new LockstepSavepoint(0, name, transaction);
    }

    /** The name the transaction's script uses. */
    String scriptName() {
        return name != null ? name : unnamedName(id);
    }

    static String unnamedName(int id) {
        return "LOCKSTEP_SP_" + id;
    }

    @Override
    public int getSavepointId() throws SQLException {
        if (name != null) {
            throw new SQLException("Savepoint is named", "HY024");
        }
        return id;
    }

    @Override
    public String getSavepointName() throws SQLException {
        if (name == null) {
            throw new SQLException("Savepoint is unnamed", "HY024");
        }
        return name;
    }

    @Override
    public String toString() {
        return "Savepoint(" + scriptName() + ")";
    }
}
