package org.lockstepdb.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.function.Consumer;

/**
 * The result set options this driver offers when a statement is created. Every result is fully materialized,
 * so scrolling is free but a result never sees later changes, and nothing is updatable.
 */
final class ResultSetOptions {
    private ResultSetOptions() {
    }

    /**
     * The result set type to use for the requested one. CONCUR_UPDATABLE: 0A000; an unknown holdability or type:
     * HY092; TYPE_SCROLL_SENSITIVE: TYPE_SCROLL_INSENSITIVE, with warning 01S02 given to {@code warnings}.
     */
    static int check(int type, int concurrency, int holdability, Consumer<SQLWarning> warnings)
            throws SQLException {
        if (concurrency != ResultSet.CONCUR_READ_ONLY) {
            throw JdbcSupport.unsupported("Updatable result sets (CONCUR_UPDATABLE)");
        }
        if (holdability != ResultSet.HOLD_CURSORS_OVER_COMMIT && holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            throw new SQLException("Invalid holdability " + holdability, "HY092");
        }
        switch (type) {
            case ResultSet.TYPE_FORWARD_ONLY:
            case ResultSet.TYPE_SCROLL_INSENSITIVE:
                return type;
            case ResultSet.TYPE_SCROLL_SENSITIVE:
                warnings.accept(new SQLWarning("TYPE_SCROLL_SENSITIVE is not supported; using TYPE_SCROLL_INSENSITIVE",
                        "01S02"));
                return ResultSet.TYPE_SCROLL_INSENSITIVE;
            default:
                throw new SQLException("Invalid result set type " + type, "HY092");
        }
    }
}
