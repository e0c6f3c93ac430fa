package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.ValueType;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;

/** Builders for log entries and queries in tests. */
final class Entries {
    private Entries() {
    }

    static WriteRequest write(String... sql) {
        return WriteRequest.of(Arrays.stream(sql).map(SqlStatement::of).toList());
    }

    static WriteRequest writeWith(String sql, Value... parameters) {
        return WriteRequest.of(List.of(SqlStatement.of(sql, List.of(parameters))));
    }

    static Value intValue(int i) {
        return Value.of(ValueType.INTEGER, i);
    }

    static Value varchar(String s) {
        return Value.of(ValueType.VARCHAR, s);
    }

    /** A reply that must be a WriteResult. */
    static WriteResult ok(Reply reply) {
        assertThat(reply).isInstanceOf(WriteResult.class);
        return (WriteResult) reply;
    }

    /** The reply of a log operation that was not applied before, and must be a WriteResult. */
    static WriteResult ok(Optional<Reply> reply) {
        assertThat(reply).as("reply of an entry not applied before").isPresent();
        return ok(reply.get());
    }

    static QueryResult query(SqlStore store, String sql, Value... parameters) {
        Reply reply = store.query(new QueryRequest(sql, List.of(parameters), 0));
        assertThat(reply).isInstanceOf(QueryResult.class);
        return (QueryResult) reply;
    }

    /** The single value of a one-row, one-column query. */
    static Object scalar(SqlStore store, String sql) {
        QueryResult r = query(store, sql);
        assertThat(r.data().rows()).hasSize(1);
        return r.data().rows().get(0).get(0).value();
    }
}
