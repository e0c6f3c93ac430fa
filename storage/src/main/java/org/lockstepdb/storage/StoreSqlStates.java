package org.lockstepdb.storage;

import org.lockstepdb.protocol.StatementLimits;

/**
 * The SQLStates the storage module answers with (in an {@link org.lockstepdb.protocol.ErrorReply}), in one place.
 * Errors of H2 itself pass through with H2's own SQLState; these are the store's own answers. Standard classes
 * where one fits, so generic clients react sensibly; {@code L} subclasses are LockstepDB's own.
 *
 * <table>
 * <tr><th>SQLState</th><th>meaning</th></tr>
 * <tr><td>08003</td><td>the store is closed (the replica is stopping or reopening it)</td></tr>
 * <tr><td>57P03</td><td>a restore through the log is swapping the database in: retry the query</td></tr>
 * <tr><td>HYT00</td><td>no query session became free within the store's query wait</td></tr>
 * <tr><td>57014</td><td>a query was cancelled: by its time limit, its client, or an interrupt</td></tr>
 * <tr><td>XX000</td><td>a query failed with an unexpected (non-SQL) exception in this replica</td></tr>
 * <tr><td>25006</td><td>a statement sent as a query is not a side-effect-free query</td></tr>
 * <tr><td>54000</td><td>a query result or a write's generated keys exceed their limit</td></tr>
 * <tr><td>54L02</td><td>a statement is nested too deeply for H2 ({@link StatementLimits})</td></tr>
 * <tr><td>0A000</td><td>a statement H2 would run but a write may not hold (a query, SET, DDL in a batch …)</td></tr>
 * <tr><td>42L01</td><td>a forbidden statement in a write (ANALYZE, FORCE VIEW, DROP ALL OBJECTS); the guard's
 *     code for the same refusal</td></tr>
 * <tr><td>42L05</td><td>a write names LockstepDB's reserved schemas; the guard's code for the same refusal</td></tr>
 * <tr><td>42L02</td><td>DDL calls H2's RAND/UUID functions, which the guard writes as their seeded forms; the
 *     guard's code for non-deterministic DDL</td></tr>
 * <tr><td>22023</td><td>an invalid argument of a restore step (restore id, chunk offset, expected SHA-256)</td></tr>
 * <tr><td>XX001</td><td>the backup staged for a restore fails its checks (format, checksum)</td></tr>
 * <tr><td>57L01</td><td>the log entry was skipped by operator recovery ({@code --skip-log-entry})</td></tr>
 * <tr><td>40001</td><td>serialization failure: an interactive transaction's operation no longer gives what the
 *     application saw (a write committed since changed what it read); its commit changed nothing: retry it</td></tr>
 * <tr><td>25001</td><td>a statement H2 runs outside transactions (DDL, TRUNCATE, SET, transaction control …), or a
 *     query with side effects (NEXT VALUE FOR, SET(@v, …)), inside an interactive transaction's script</td></tr>
 * <tr><td>LS001</td><td>a retried write was applied, but its reply is not kept (too large, or outside the
 *     remembered window): a plain error, so that no client takes it for a rollback and runs it again</td></tr>
 * </table>
 */
public final class StoreSqlStates {
    public static final String STORE_CLOSED = "08003";
    public static final String RESTORE_IN_PROGRESS = "57P03";
    public static final String NO_QUERY_SESSION = "HYT00";
    public static final String QUERY_CANCELED = "57014";
    public static final String INTERNAL_ERROR = "XX000";
    public static final String READ_ONLY_VIOLATION = "25006";
    public static final String TOO_LARGE = "54000";
    public static final String TOO_COMPLEX = StatementLimits.TOO_COMPLEX_SQLSTATE;
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String FORBIDDEN = "42L01";
    public static final String RESERVED_SCHEMA = "42L05";
    public static final String NONDETERMINISTIC_DDL = "42L02";
    public static final String INVALID_RESTORE_ARGUMENT = "22023";
    public static final String INVALID_BACKUP = "XX001";
    public static final String SKIPPED_BY_OPERATOR = "57L01";
    public static final String REPLY_NOT_KEPT = "LS001";
    public static final String SERIALIZATION_FAILURE = "40001";
    public static final String NOT_IN_TRANSACTION = "25001";

    private StoreSqlStates() {
    }
}
