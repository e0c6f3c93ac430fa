package org.lockstepdb.guard;

import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.sql.SqlRefusal;

/**
 * SQLStates (and vendor codes) of the guard's rejections. All are 5 characters [0-9A-Z]; the class (first two
 * characters) follows SQL's standard classes so generic clients react sensibly, the subclass starts with
 * {@code L} (LockstepDB) so they never collide with H2's own states.
 *
 * <table>
 * <tr><th>SQLState</th><th>vendor</th><th>meaning</th></tr>
 * <tr><td>42L00</td><td>7000</td><td>the guard cannot understand the statement (lexical error, empty text, a
 *     statement form it does not know): it is rejected, never let through</td></tr>
 * <tr><td>42L01</td><td>7001</td><td>forbidden function or statement: reads the file system, the host, the
 *     session or administers the database (FILE_READ, CSVREAD, CREATE ALIAS, SCRIPT, SHUTDOWN, CALL, …)</td></tr>
 * <tr><td>42L02</td><td>7002</td><td>DDL whose expression (generated column, CHECK, view, CREATE TABLE … AS)
 *     calls a non-deterministic function; in a DEFAULT or ON UPDATE, anything but a clock read or an
 *     argument-less RAND/UUID ({@link DefaultClause})</td></tr>
 * <tr><td>42L03</td><td>7003</td><td>non-deterministic function in a write that LockstepDB cannot make
 *     deterministic (SECURE_RAND, locale-dependent formatting, session sequence values, …)</td></tr>
 * <tr><td>42L04</td><td>7004</td><td>unknown function: not on the allow-list of H2 built-ins</td></tr>
 * <tr><td>42L05</td><td>7005</td><td>reference to a reserved schema in a write (LOCKSTEP_SYS,
 *     LOCKSTEP_FN, INFORMATION_SCHEMA)</td></tr>
 * <tr><td>42L06</td><td>7006</td><td>the rows a write touches or the values it computes depend on the
 *     physical row order (UPDATE/DELETE … LIMIT, LIMIT/FETCH/OFFSET without ORDER BY, ROWNUM, ANY_VALUE,
 *     order-sensitive aggregates and window functions without ORDER BY)</td></tr>
 * <tr><td>42L07</td><td>7007</td><td>statement of the wrong class for the path: a query sent as a write, a
 *     write or sequence-advancing expression or FOR UPDATE sent as a read</td></tr>
 * <tr><td>0AL01</td><td>7101</td><td>more than one statement in one text</td></tr>
 * <tr><td>0AL02</td><td>7102</td><td>SET statements (session and database settings belong to the
 *     replicas)</td></tr>
 * <tr><td>25L01</td><td>7201</td><td>transaction control as SQL text (COMMIT, ROLLBACK, SAVEPOINT, BEGIN,
 *     SET AUTOCOMMIT …): use the driver's transaction API</td></tr>
 * <tr><td>54L01</td><td>7301</td><td>statement text longer than {@link StatementGuard#MAX_SQL_CHARS}</td></tr>
 * <tr><td>54L02</td><td>7302</td><td>statement nested deeper or with longer operator chains than
 *     {@link org.lockstepdb.protocol.StatementLimits} allows</td></tr>
 * </table>
 */
public final class GuardCodes {
    public static final String NOT_UNDERSTOOD = SqlRefusal.NOT_UNDERSTOOD;
    public static final String FORBIDDEN = SqlRefusal.FORBIDDEN;
    public static final String NONDETERMINISTIC_DDL = "42L02";
    public static final String NONDETERMINISTIC = "42L03";
    public static final String UNKNOWN_FUNCTION = "42L04";
    public static final String RESERVED_SCHEMA = "42L05";
    public static final String ROW_ORDER = "42L06";
    public static final String WRONG_CLASS = SqlRefusal.WRONG_CLASS;
    public static final String MULTI_STATEMENT = SqlRefusal.MULTI_STATEMENT;
    public static final String SET_STATEMENT = SqlRefusal.SET_STATEMENT;
    public static final String TRANSACTION_CONTROL = SqlRefusal.TRANSACTION_CONTROL;
    public static final String TOO_LONG = "54L01";
    public static final String TOO_COMPLEX = SqlRefusal.TOO_COMPLEX;

    private GuardCodes() {
    }

    static int vendorCode(String sqlState) {
        return switch (sqlState) {
            case NONDETERMINISTIC_DDL -> 7002;
            case NONDETERMINISTIC -> 7003;
            case UNKNOWN_FUNCTION -> 7004;
            case RESERVED_SCHEMA -> 7005;
            case ROW_ORDER -> 7006;
            case TOO_LONG -> 7301;
            default -> {
                int classifiers = SqlRefusal.vendorCode(sqlState); // the classifier's own refusals
                if (classifiers == 0) {
                    throw new IllegalArgumentException(sqlState);
                }
                yield classifiers;
            }
        };
    }

    static ErrorReply reply(String sqlState, String message) {
        return new ErrorReply(sqlState, vendorCode(sqlState), message);
    }
}
