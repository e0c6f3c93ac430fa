package org.lockstepdb.storage;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;
import java.util.regex.Pattern;
import org.h2.api.ErrorCode;
import org.lockstepdb.protocol.ErrorReply;

/**
 * Sorts H2 errors into the two kinds the store must never confuse: errors that are a property of the SQL and
 * the data (every replica sees the same one, so they become an {@link ErrorReply} with H2's SQLState), and
 * failures of this replica (I/O, disk, corruption, closed database, memory, lock waits) that another replica
 * would not see (the store then stops: {@link StoreFailureException}).
 */
final class H2ErrorClassifier {
    /** H2 error codes that say something about this replica, not about the statement. */
    private static final Set<Integer> REPLICA_FAILURES = Set.of(
            ErrorCode.IO_EXCEPTION_1, ErrorCode.IO_EXCEPTION_2, ErrorCode.FILE_CORRUPTED_1,
            ErrorCode.DATABASE_IS_CLOSED, ErrorCode.DATABASE_CALLED_AT_SHUTDOWN, ErrorCode.OUT_OF_MEMORY,
            ErrorCode.LOCK_TIMEOUT_1, ErrorCode.DEADLOCK_1, ErrorCode.CONNECTION_BROKEN_1,
            ErrorCode.STATEMENT_WAS_CANCELED, ErrorCode.CONCURRENT_UPDATE_1, ErrorCode.FILE_CREATION_FAILED_1,
            ErrorCode.FILE_RENAME_FAILED_2, ErrorCode.FILE_DELETE_FAILED_1, ErrorCode.FILE_VERSION_ERROR_1,
            ErrorCode.FILE_ENCRYPTION_ERROR_1, ErrorCode.DATABASE_IS_IN_EXCLUSIVE_MODE,
            ErrorCode.ERROR_OPENING_DATABASE_1, ErrorCode.DATABASE_ALREADY_OPEN_1, ErrorCode.TRANSACTION_NOT_FOUND_1);

    private H2ErrorClassifier() {
    }

    /**
     * Whether a failure of an entry's SQL is one of this replica, given what the entry holds. A lock timeout in an
     * entry without DDL is not: the entry waited on a row lock it holds itself, the same on every replica (see
     * {@link H2Sessions#DML_LOCK_TIMEOUT_MILLIS}). In an entry with DDL it stays a replica failure: no cause of
     * such a wait is known (see {@link H2Sessions#DDL_LOCK_TIMEOUT_MILLIS}), so it is not taken for a property
     * of the entry.
     */
    static boolean isReplicaFailure(SQLException e, boolean entryHasDdl) {
        if (!entryHasDdl && e.getErrorCode() == ErrorCode.LOCK_TIMEOUT_1) {
            return false;
        }
        return isReplicaFailure(e);
    }

    static boolean isReplicaFailure(SQLException e) {
        if (REPLICA_FAILURES.contains(e.getErrorCode())) {
            return true;
        }
        // H2 wraps unexpected internal exceptions as GENERAL_ERROR; it is a replica failure when an I/O error,
        // a JVM error (OutOfMemoryError, StackOverflowError) or an MVStore (file) failure lies underneath.
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof VirtualMachineError
                    || t.getClass().getName().startsWith("org.h2.mvstore.")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Longest error message sent back: H2 appends the whole statement, which may be up to 1 MiB long. */
    static final int MAX_MESSAGE_CHARS = 4000;

    /**
     * H2 names the conflicting row's hidden row key in a unique violation ({@code VALUES ( /* 860 *&#47; 'g3078' )},
     * {@code PRIMARY KEY ON T(ID) ( /* key:711 *&#47; 711, …)}).
     * Hidden row keys are numbered anew when a replica is rebuilt from a snapshot, so the key would make the same
     * error's text differ by the replica that answered (and the replies stored for retries differ between replicas).
     */
    private static final Pattern HIDDEN_ROW_KEY = Pattern.compile("\\( /\\* (key:)?-?\\d+ \\*/ ");

    static ErrorReply tooDeeplyNested() {
        return new ErrorReply(StoreSqlStates.TOO_COMPLEX, 0, "the statement is nested "
                + "too deeply for H2 to run it (its parser or evaluator ran out of stack); flatten it");
    }

    static ErrorReply toReply(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StackOverflowError) { // a read nested deeper than a query thread's stack (writes: never)
                return tooDeeplyNested();
            }
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e.getErrorCode() == ErrorCode.DUPLICATE_KEY_1) {
            message = HIDDEN_ROW_KEY.matcher(message).replaceFirst("( ");
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS) + "… (" + message.length() + " characters in all)";
        }
        return new ErrorReply(e.getSQLState(), e.getErrorCode(), message);
    }
}
