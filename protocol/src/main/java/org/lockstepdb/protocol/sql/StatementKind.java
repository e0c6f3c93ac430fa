package org.lockstepdb.protocol.sql;

/** The kind of a statement LockstepDB accepts, as the {@link StatementClassifier} decides it. */
public enum StatementKind {
    INSERT, UPDATE, DELETE, MERGE, QUERY, CREATE_TABLE, CREATE_VIEW, CREATE_INDEX, CREATE_DOMAIN, DDL_OTHER;

    /** H2 commits DDL at once, so it must be a write of its own ({@link DdlAlone}). */
    public boolean isDdl() {
        return ordinal() >= CREATE_TABLE.ordinal();
    }

    public SqlKind coarse() {
        return this == QUERY ? SqlKind.QUERY : isDdl() ? SqlKind.DDL : SqlKind.DML;
    }
}
