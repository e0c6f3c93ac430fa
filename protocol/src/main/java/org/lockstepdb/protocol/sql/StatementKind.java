package org.lockstepdb.protocol.sql;

/**
 * The kind of a statement LockstepDB accepts, as the {@link StatementClassifier} decides it.
 *
 * <p>{@link #WRITING_QUERY} is a query that changes state: it draws sequence values ({@code NEXT VALUE FOR s},
 * {@code NEXTVAL('s')}) or reads a data change delta table ({@code FINAL|NEW|OLD TABLE (INSERT|UPDATE|DELETE|MERGE
 * …)}). It is a write that returns rows: it goes through the log like DML, and its rows come back with the
 * entry's result.
 */
public enum StatementKind {
    INSERT, UPDATE, DELETE, MERGE, QUERY, WRITING_QUERY, CREATE_TABLE, CREATE_VIEW, CREATE_INDEX, CREATE_DOMAIN, DDL_OTHER;

    /** H2 commits DDL at once, so it must be a write of its own ({@link DdlAlone}). */
    public boolean isDdl() {
        return ordinal() >= CREATE_TABLE.ordinal();
    }

    /** Whether the statement answers with a result set: a query, also one that writes. */
    public boolean returnsRows() {
        return this == QUERY || this == WRITING_QUERY;
    }

    public SqlKind coarse() {
        return this == QUERY ? SqlKind.QUERY : isDdl() ? SqlKind.DDL : SqlKind.DML;
    }
}
