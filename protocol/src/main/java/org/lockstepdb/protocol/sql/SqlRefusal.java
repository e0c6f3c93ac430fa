package org.lockstepdb.protocol.sql;

import org.lockstepdb.protocol.StatementLimits;

/**
 * Why a statement text is refused before it runs: an SQLState and a message naming the place (line, column).
 * A verdict, not a failure: no stack trace. The SQLStates of the refusals the {@link StatementClassifier} makes
 * are defined here; the determinism guard documents all of them (its {@code GuardCodes}).
 */
public class SqlRefusal extends Exception {
    /** The text cannot be read (lexical error, empty text, unbalanced parentheses, a form not known). */
    public static final String NOT_UNDERSTOOD = "42L00";
    /** A statement or function LockstepDB forbids. */
    public static final String FORBIDDEN = "42L01";
    /** A statement of the wrong class for the path (a query as a write, a write as a read). */
    public static final String WRONG_CLASS = "42L07";
    /** More than one statement in one text. */
    public static final String MULTI_STATEMENT = "0AL01";
    /** A SET statement. */
    public static final String SET_STATEMENT = "0AL02";
    /** Transaction control as SQL text. */
    public static final String TRANSACTION_CONTROL = "25L01";
    /** Nested deeper or with longer operator chains than {@link StatementLimits} allows. */
    public static final String TOO_COMPLEX = StatementLimits.TOO_COMPLEX_SQLSTATE;

    /** How a {@link #TRANSACTION_CONTROL} refusal ends in auto-commit mode (the classifier's own wording). */
    static final String AUTO_COMMIT_ADVICE = "every statement is applied atomically on its own, and a JDBC batch "
            + "(executeBatch) is applied atomically as one log entry";
    private static final String IN_TRANSACTION_ADVICE = "inside a transaction use Connection.commit(), rollback(), "
            + "setSavepoint(), rollback(Savepoint) and releaseSavepoint(); the transaction is unchanged and stays open";

    private final String sqlState;

    public SqlRefusal(String sqlState, String message) {
        super(message, null, false, false);
        this.sqlState = sqlState;
    }

    /**
     * The message of a {@link #TRANSACTION_CONTROL} refusal for a statement sent inside an interactive transaction
     * (JDBC manual-commit mode), where the auto-commit advice would mislead: it names the JDBC methods instead.
     *
     * @param message a TRANSACTION_CONTROL refusal's message, possibly with more text after it
     */
    public static String transactionControlInTransaction(String message) {
        return message.replace(AUTO_COMMIT_ADVICE, IN_TRANSACTION_ADVICE);
    }

    /** Five characters, e.g. {@code 42L00}. */
    public String sqlState() {
        return sqlState;
    }

    /** The vendor code that goes with this refusal's SQLState ({@link #vendorCode(String)}). */
    public int vendorCode() {
        return vendorCode(sqlState);
    }

    /**
     * The vendor code (SQLException#getErrorCode) of one of the SQLStates defined here, as the guard's table of
     * codes lists it: 7000 not understood, 7001 forbidden, 7007 wrong class, 7101 several statements, 7102 SET,
     * 7201 transaction control, 7302 too complex; 0 for any other SQLState.
     */
    public static int vendorCode(String sqlState) {
        return switch (sqlState) {
            case NOT_UNDERSTOOD -> 7000;
            case FORBIDDEN -> 7001;
            case WRONG_CLASS -> 7007;
            case MULTI_STATEMENT -> 7101;
            case SET_STATEMENT -> 7102;
            case TRANSACTION_CONTROL -> 7201;
            case StatementLimits.TOO_COMPLEX_SQLSTATE -> 7302;
            default -> 0;
        };
    }
}
