package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lockstepdb.protocol.ColumnMeta;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.ResultData;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.WriteRequest;

/**
 * Runs the statements of one log entry on the apply session, inside the caller's transaction. It neither
 * commits nor rolls back: {@link SqlStore} owns the transaction, so the applied index is stored atomically with
 * the entry's effects.
 */
final class EntryApplier {
    /** What an entry did: the statement results, or the deterministic error that stopped it. */
    sealed interface Outcome permits Applied, Refused {
    }

    record Applied(List<StatementResult> results) implements Outcome {
    }

    record Refused(ErrorReply error) implements Outcome {
    }

    private final Connection connection;

    EntryApplier(Connection connection) {
        this.connection = connection;
    }

    /**
     * @throws SQLException from H2: the caller decides whether it is deterministic (an error reply) or a
     *                      replica failure
     */
    Outcome apply(long logIndex, WriteRequest entry) throws SQLException {
        try {
            return applyStatements(logIndex, entry);
        } finally {
            DeterministicFunctions.clear();
        }
    }

    private Outcome applyStatements(long logIndex, WriteRequest entry) throws SQLException {
        Optional<ErrorReply> refused = WriteGuard.checkEntry(entry);
        if (refused.isPresent()) {
            return new Refused(refused.get());
        }
        List<StatementResult> results = new ArrayList<>(entry.statements().size());
        for (int i = 0; i < entry.statements().size(); i++) {
            SqlStatement statement = entry.statements().get(i);
            refused = WriteGuard.checkText(statement.sql());
            if (refused.isPresent()) {
                return new Refused(refused.get());
            }
            PlanStatistics.forgetCachedViewPlans(connection);
            try (PreparedStatement ps = prepare(statement)) {
                refused = WriteGuard.checkStatement(statement.sql(), ps.getMetaData() != null);
                if (refused.isPresent()) {
                    return new Refused(refused.get());
                }
                results.add(execute(ps, statement, logIndex, i));
            }
        }
        return new Applied(results);
    }

    private PreparedStatement prepare(SqlStatement s) throws SQLException {
        if (!s.wantsGeneratedKeys()) {
            return connection.prepareStatement(s.sql());
        }
        if (s.generatedKeyColumns().isEmpty()) {
            return connection.prepareStatement(s.sql(), Statement.RETURN_GENERATED_KEYS);
        }
        return connection.prepareStatement(s.sql(), s.generatedKeyColumns().toArray(new String[0]));
    }

    private static StatementResult execute(PreparedStatement ps, SqlStatement s, long logIndex, int statementNumber)
            throws SQLException {
        List<List<Value>> parameterSets = s.parameterSets().isEmpty() ? List.of(List.of()) : s.parameterSets();
        List<Long> counts = new ArrayList<>(parameterSets.size());
        GeneratedKeys keys = s.wantsGeneratedKeys() ? new GeneratedKeys() : null;
        for (int execution = 0; execution < parameterSets.size(); execution++) {
            List<Value> parameters = parameterSets.get(execution);
            ParameterBinder.bind(ps, parameters);
            DeterministicFunctions.seed(logIndex, statementNumber, execution);
            counts.add(ps.executeLargeUpdate());
            if (keys != null) {
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    keys.add(rs);
                }
            }
        }
        return new StatementResult(counts, keys == null ? null : keys.toResultData());
    }

    /** Collects the generated keys of every execution of a statement into one result. */
    private static final class GeneratedKeys {
        private List<ColumnMeta> columns;
        private final List<List<Value>> rows = new ArrayList<>();

        void add(ResultSet rs) throws SQLException {
            ResultData data;
            try {
                // no size limit: a write that succeeded on every replica must not fail on one for its reply size
                data = ResultSetReader.read(rs, Long.MAX_VALUE);
            } catch (ResultTooLargeException e) {
                throw new IllegalStateException("cannot happen without a limit", e);
            }
            if (columns == null) {
                columns = data.columns();
            }
            rows.addAll(data.rows());
        }

        ResultData toResultData() {
            return columns == null ? ResultData.empty() : new ResultData(columns, rows);
        }
    }
}
