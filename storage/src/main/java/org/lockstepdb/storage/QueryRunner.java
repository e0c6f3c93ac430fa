package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.api.ErrorCode;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.SessionValues;

/**
 * Runs one read-only query on a query session: refuses anything that is not a side-effect-free query before it
 * runs, reads the applied index and the rows in one snapshot, and always rolls back.
 */
final class QueryRunner {
    private static final String READ_ONLY_VIOLATION = StoreSqlStates.READ_ONLY_VIOLATION;
    private static final String RESULT_TOO_LARGE = StoreSqlStates.TOO_LARGE;
    private static final String QUERY_CANCELED = StoreSqlStates.QUERY_CANCELED;

    private final StoreOptions options;
    private final RunningQueries running = new RunningQueries();

    QueryRunner(StoreOptions options) {
        this.options = options;
    }

    /** Cancels the query running under the client's {@code queryId}; true if one was running. */
    boolean cancel(String queryId) {
        return running.cancel(queryId);
    }

    /** @throws SQLException errors of the query itself; the caller turns them into an error reply */
    Reply run(Connection c, QueryRequest request) throws SQLException {
        long timeoutMillis = options.effectiveQueryTimeoutMillis(request.timeoutMillis());
        try {
            // H2 checks the session's deadline while the statement runs and cancels it (57014), freeing the CPU.
            // Not transactional in H2's sense: it neither commits nor starts the snapshot read below.
            try (Statement s = c.createStatement()) {
                s.execute("SET QUERY_TIMEOUT " + timeoutMillis);
            }
            if (!request.session().defaultSchema()) {
                c.setSchema(request.session().schema()); // back to PUBLIC in finally: query sessions are pooled
            }
            ErrorReply refused = refuseUnlessReadOnly(c, request.sql());
            if (refused != null) {
                return refused;
            }
            // First statement of the SNAPSHOT transaction: fixes the snapshot the query below reads too.
            long appliedIndex = AppliedIndexTable.read(c).index();
            String id = request.queryId();
            boolean cancelledByClient = false;
            try (PreparedStatement ps = c.prepareStatement(request.sql())) {
                ParameterBinder.bind(ps, request.parameters());
                ps.setMaxRows(request.maxRows());
                if (!id.isEmpty() && !running.start(id, ps)) {
                    return cancelledByClient();
                }
                try (ResultSet rs = ps.executeQuery()) {
                    ResultData data = ResultSetReader.read(rs, options.maxResultBytes());
                    return new QueryResult(appliedIndex, data);
                } finally {
                    cancelledByClient = !id.isEmpty() && running.end(id);
                }
            } catch (ResultTooLargeException e) {
                return new ErrorReply(RESULT_TOO_LARGE, 0, "The query result is larger than the limit of "
                        + options.maxResultBytes() + " bytes. Add a WHERE clause or a LIMIT, or page through the rows "
                        + "with keyset pagination (WHERE key > last_key ORDER BY key LIMIT n)");
            } catch (SQLException e) {
                if (e.getErrorCode() != ErrorCode.STATEMENT_WAS_CANCELED) {
                    throw e;
                }
                if (cancelledByClient) {
                    return cancelledByClient();
                }
                return new ErrorReply(QUERY_CANCELED, e.getErrorCode(), "The query was cancelled after its time "
                        + "limit of " + timeoutMillis + " ms (the shorter of the client's timeout and the server's "
                        + "--query-timeout-ms). Make it cheaper, or raise the timeout (Statement.setQueryTimeout, "
                        + "the URL's timeoutMs, the server's --query-timeout-ms)");
            }
        } finally {
            c.rollback(); // a query never changes state, and this ends the snapshot
            if (!request.session().defaultSchema()) {
                c.setSchema(SessionValues.DEFAULT_SCHEMA);
            }
        }
    }

    private static ErrorReply cancelledByClient() {
        return new ErrorReply(QUERY_CANCELED, ErrorCode.STATEMENT_WAS_CANCELED, "The query was cancelled by its client "
                + "(Statement.cancel)");
    }

    private static ErrorReply refuseUnlessReadOnly(Connection c, String sql) throws SQLException {
        switch (ReadOnlyCheck.check(c, sql)) {
            case NOT_A_QUERY:
                return new ErrorReply(READ_ONLY_VIOLATION, 0,
                        "read-only: writes must go through the log (use executeUpdate), not run as a query");
            case HAS_SIDE_EFFECTS:
                return new ErrorReply(READ_ONLY_VIOLATION, 0, "read-only: this query has side effects (such as NEXT "
                        + "VALUE FOR a sequence or setting a variable); writes must go through the log");
            case LOCKS_ROWS:
                return new ErrorReply(READ_ONLY_VIOLATION, 0, "read-only: SELECT … FOR UPDATE is not supported in "
                        + "a read: its row locks would hold up the log's writes on this replica only. Reads take no "
                        + "locks; do the read-modify-write in one UPDATE, or in one batch (applied atomically)");
            default:
                return null;
        }
    }
}
