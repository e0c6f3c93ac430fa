package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.ResultData;

/**
 * Runs one read-only query on a query session: refuses anything that is not a side-effect-free query before it
 * runs, reads the applied index and the rows in one snapshot, and always rolls back.
 */
final class QueryRunner {
    static final String READ_ONLY_VIOLATION = "25006";
    static final String RESULT_TOO_LARGE = "54000";

    private final StoreOptions options;

    QueryRunner(StoreOptions options) {
        this.options = options;
    }

    /** @throws SQLException errors of the query itself; the caller turns them into an error reply */
    Reply run(Connection c, QueryRequest request) throws SQLException {
        try {
            ErrorReply refused = refuseUnlessReadOnly(c, request.sql());
            if (refused != null) {
                return refused;
            }
            // First statement of the SNAPSHOT transaction: fixes the snapshot the query below reads too.
            long appliedIndex = AppliedIndexTable.read(c).index();
            try (PreparedStatement ps = c.prepareStatement(request.sql())) {
                ParameterBinder.bind(ps, request.parameters());
                ps.setMaxRows(request.maxRows());
                ps.setQueryTimeout(options.queryTimeoutSeconds());
                try (ResultSet rs = ps.executeQuery()) {
                    ResultData data = ResultSetReader.read(rs, options.maxResultBytes());
                    return new QueryResult(appliedIndex, data);
                }
            } catch (ResultTooLargeException e) {
                return new ErrorReply(RESULT_TOO_LARGE, 0, "The query result is larger than the limit of "
                        + options.maxResultBytes() + " bytes. Add a WHERE clause or a LIMIT, or page through the rows "
                        + "with keyset pagination (WHERE key > last_key ORDER BY key LIMIT n)");
            }
        } finally {
            c.rollback(); // a query never changes state, and this ends the snapshot
        }
    }

    private static ErrorReply refuseUnlessReadOnly(Connection c, String sql) throws SQLException {
        switch (ReadOnlyCheck.check(c, sql)) {
            case NOT_A_QUERY:
                return new ErrorReply(READ_ONLY_VIOLATION, 0,
                        "read-only: writes must go through the log (use executeUpdate), not run as a query");
            case HAS_SIDE_EFFECTS:
                return new ErrorReply(READ_ONLY_VIOLATION, 0, "read-only: this query has side effects (such as NEXT "
                        + "VALUE FOR a sequence or setting a variable); writes must go through the log");
            default:
                return null;
        }
    }
}
