package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.SessionValues;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.TxCommitRequest;
import org.lockstepdb.protocol.TxId;
import org.lockstepdb.protocol.TxOp;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.TxStatementResult;
import org.lockstepdb.protocol.TxStep;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.WriteResult;

/**
 * What the driver will do with an open transaction, for storage tests: keeps the script and the recorded
 * outcomes, runs each new operation speculatively on a store and builds the commit entry.
 */
final class TxClient {
    private static long nextSequence = 1;

    final TxId id;
    final SqlStore home;
    final List<TxStep> steps = new ArrayList<>();
    long stampMillis;
    /** The applied index of each speculative run. */
    final List<Long> appliedIndexes = new ArrayList<>();
    /** The connection's session values (schema) the speculations and the commit carry. */
    SessionValues session = SessionValues.DEFAULT;

    TxClient(SqlStore home) {
        this(home, new TxId("test-client", nextSequence++));
    }

    TxClient(SqlStore home, TxId id) {
        this.home = home;
        this.id = id;
    }

    /** Runs {@code op} speculatively; records it with its outcome if the speculation gave one. */
    Reply run(TxOp op) {
        Reply reply = home.speculate(new TxStatementRequest(id, stampMillis, steps, op, 0, session));
        if (reply instanceof TxStatementResult r) {
            stampMillis = r.stampMillis();
            appliedIndexes.add(r.appliedIndex());
            steps.add(new TxStep(op, r.outcome()));
            return r.result();
        }
        return reply; // not recorded: 40001, limits, failures
    }

    Reply run(String sql, Value... parameters) {
        return run(TxOp.statement(SqlStatement.of(sql, List.of(parameters))));
    }

    QueryResult query(String sql, Value... parameters) {
        return expect(QueryResult.class, sql, parameters);
    }

    /** The single value of a one-row, one-column query run in the transaction. */
    Object scalar(String sql, Value... parameters) {
        QueryResult r = query(sql, parameters);
        assertThat(r.data().rows()).hasSize(1);
        return r.data().rows().get(0).get(0).value();
    }

    WriteResult write(String sql, Value... parameters) {
        return expect(WriteResult.class, sql, parameters);
    }

    ErrorReply error(String sql, Value... parameters) {
        return expect(ErrorReply.class, sql, parameters);
    }

    private <T extends Reply> T expect(Class<T> kind, String sql, Value... parameters) {
        Reply r = run(sql, parameters);
        assertThat(r).as(sql).isInstanceOf(kind);
        return kind.cast(r);
    }

    TxCommitRequest commitEntry() {
        return new TxCommitRequest(id, stampMillis > 0 ? stampMillis : 1, steps, session);
    }
}
