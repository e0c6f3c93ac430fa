package org.lockstepdb.jdbc;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;

/** Records requests; answers queued replies, or by default one update count per execution. */
class FakeChannel implements SqlChannel {
    record QueryCall(QueryRequest request, ReadConsistency consistency, long minIndex) {
    }

    final List<WriteRequest> writes = new ArrayList<>();
    /** The budget (ms) each write was given. */
    final List<Long> writeBudgets = new ArrayList<>();
    final List<QueryCall> queries = new ArrayList<>();
    final Deque<Reply> replies = new ArrayDeque<>();
    long nextIndex = 10;
    boolean closed;

    @Override
    public WriteResult write(WriteRequest request, long budgetMillis) throws SQLException {
        writeBudgets.add(budgetMillis);
        return write(request);
    }

    @Override
    public WriteResult write(WriteRequest request) throws SQLException {
        writes.add(request);
        Reply r = replies.poll();
        if (r instanceof ErrorReply) {
            throw ServerErrorTranslation.toException((ErrorReply) r);
        }
        if (r != null) {
            return (WriteResult) r;
        }
        List<StatementResult> results = new ArrayList<>();
        for (SqlStatement st : request.statements()) {
            List<Long> counts = new ArrayList<>();
            for (int i = 0; i < st.executions(); i++) {
                counts.add(1L);
            }
            results.add(new StatementResult(counts, null));
        }
        return new WriteResult(nextIndex++, results);
    }

    @Override
    public QueryResult query(QueryRequest request, ReadConsistency consistency, long minIndex) throws SQLException {
        queries.add(new QueryCall(request, consistency, minIndex));
        Reply r = replies.poll();
        if (r instanceof ErrorReply) {
            throw ServerErrorTranslation.toException((ErrorReply) r);
        }
        return r != null ? (QueryResult) r : new QueryResult(nextIndex, ResultData.empty());
    }

    @Override
    public void close() {
        closed = true;
    }
}
