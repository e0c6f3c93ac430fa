package org.lockstepdb.jdbc;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

import org.lockstepdb.protocol.ErrorReply;

/**
 * Translates the cluster's error replies into {@code SQLException}s: the subclass the SQLState's class calls for
 * ({@link #toException}), and the {@link ErrorReply} a Ratis exception carries in its message
 * ({@link #findErrorReply}). Also the SQLStates the driver itself uses for connection failures.
 */
public final class ServerErrorTranslation {
    /** SQLState for "cluster unreachable / no leader": connection exception, SQL client unable to establish connection. */
    public static final String NO_CONNECTION = "08001";
    /** SQLState for a connection failure during a request. */
    public static final String CONNECTION_FAILURE = "08006";

    private ServerErrorTranslation() {
    }

    /** The SQLException for an error reply: SQLState, vendor code and message kept. */
    public static SQLException toException(ErrorReply error) {
        return toException(error, null);
    }

    public static SQLException toException(ErrorReply error, Throwable cause) {
        String state = error.sqlState();
        String msg = error.message();
        int code = error.vendorCode();
        String cls = state.substring(0, 2);
        SQLException e;
        switch (cls) {
            case "42": e = new SQLSyntaxErrorException(msg, state, code); break;
            case "23": e = new SQLIntegrityConstraintViolationException(msg, state, code); break;
            case "22": e = new SQLDataException(msg, state, code); break;
            case "0A": e = new SQLFeatureNotSupportedException(msg, state, code); break;
            case "40": e = new SQLTransactionRollbackException(msg, state, code); break;
            case "28": e = new SQLInvalidAuthorizationSpecException(msg, state, code); break;
            case "57": // 57014: the query was cancelled at its time limit
            case "HY":
                e = "57014".equals(state) || "HYT00".equals(state) ? new SQLTimeoutException(msg, state, code)
                        : new SQLException(msg, state, code);
                break;
            case "53": e = new SQLTransientException(msg, state, code); break; // a busy replica: retry later
            case "08":
                // 08001 (cannot connect) and 08004 (rejected) may succeed later; 08003/08006/08007 and others are
                // failures of this connection.
                e = "08001".equals(state) || "08004".equals(state)
                        ? new SQLTransientConnectionException(msg, state, code)
                        : new SQLNonTransientConnectionException(msg, state, code);
                break;
            default: e = new SQLException(msg, state, code);
        }
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The first {@link ErrorReply} marker found in the messages of {@code t} and its causes (and suppressed). */
    public static Optional<ErrorReply> findErrorReply(Throwable t) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        return find(t, seen);
    }

    private static Optional<ErrorReply> find(Throwable t, Map<Throwable, Boolean> seen) {
        for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
            Optional<ErrorReply> r = ErrorReply.fromExceptionMessage(c.getMessage());
            if (r.isPresent()) {
                return r;
            }
            for (Throwable s : c.getSuppressed()) {
                r = find(s, seen);
                if (r.isPresent()) {
                    return r;
                }
            }
        }
        return Optional.empty();
    }
}
