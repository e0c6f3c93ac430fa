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
import org.lockstepdb.protocol.sql.Classification;

/**
 * Runs the statements of one log entry on the apply session, inside the caller's transaction. It neither
 * commits nor rolls back: {@link SqlStore} owns the transaction, so the applied index is stored atomically with
 * the entry's effects. While it runs, the session's clock is the entry's stamp ({@link EntryClock}) and RAND/UUID
 * draw from the entry's seeded streams ({@link DeterministicFunctions}).
 */
final class EntryApplier {
    /** What an entry did: the statement results, or the deterministic error that stopped it. */
    sealed interface AppliedOrRefused permits Applied, Refused {
    }

    /** Every statement ran; the caller commits. */
    record Applied(List<StatementResult> results) implements AppliedOrRefused {
    }

    /** Refused before H2 ran the statement that would fail; the caller rolls back what ran before it. */
    record Refused(ErrorReply error) implements AppliedOrRefused {
    }

    private final Connection connection;

    private final DeepStackThread deepStack;

    /** @param deepStack the thread H2 runs the entries' SQL on (see {@link DeepStackThread} for why) */
    EntryApplier(Connection connection, DeepStackThread deepStack) {
        this.connection = connection;
        this.deepStack = deepStack;
    }

    /**
     * @throws SQLException from H2: the caller decides whether it is deterministic (an error reply) or a
     *                      replica failure
     */
    AppliedOrRefused apply(long logIndex, ClassifiedEntry entry) throws SQLException {
        return deepStack.call(() -> {
            try {
                return applyStatements(logIndex, entry);
            } finally {
                DeterministicFunctions.clear(); // the generator is the deep thread's own
                EntryClock.unpin(); // and so is the pin
            }
        });
    }

    private AppliedOrRefused applyStatements(long logIndex, ClassifiedEntry classified) throws SQLException {
        WriteRequest entry = classified.entry();
        Optional<ErrorReply> refused = WriteGuard.checkEntry(classified);
        if (refused.isPresent()) {
            return new Refused(refused.get());
        }
        List<StatementResult> results = new ArrayList<>(entry.statements().size());
        for (int i = 0; i < entry.statements().size(); i++) {
            SqlStatement statement = entry.statements().get(i);
            Classification kind = classified.statements().get(i);
            // before H2 parses it (it folds constants such as CAST(TIME '10:00:00' AS TIMESTAMP) when preparing);
            // again for every statement, as a DDL statement commits and ends the pin
            EntryClock.pin(connection, entry.stampMillis());
            refused = WriteGuard.checkText(statement.sql(), kind);
            if (refused.isPresent()) {
                return new Refused(refused.get());
            }
            String tooDeep = ViewDepth.tooDeep(connection, SqlText.codeKeepingCase(statement.sql(), kind.lexed()));
            if (tooDeep != null) {
                return new Refused(new ErrorReply(StoreSqlStates.TOO_COMPLEX, 0, "the statement was not run: "
                        + tooDeep + " (H2 expands views recursively)"));
            }
            PlanStatistics.forgetCachedViewPlans(connection);
            try (PreparedStatement ps = prepare(statement)) {
                refused = WriteGuard.checkStatement(statement.sql(), kind, ps.getMetaData() != null);
                if (refused.isPresent()) {
                    return new Refused(refused.get());
                }
                results.add(execute(ps, statement, logIndex, i, entry.stampMillis()));
            }
        }
        return new Applied(results);
    }

    private PreparedStatement prepare(SqlStatement s) throws SQLException {
        return switch (s.generatedKeys().kind()) {
            case NONE -> connection.prepareStatement(s.sql());
            case TABLE_KEYS -> connection.prepareStatement(s.sql(), Statement.RETURN_GENERATED_KEYS);
            case NAMED -> connection.prepareStatement(s.sql(), s.generatedKeys().columns().toArray(new String[0]));
        };
    }

    /**
     * Most rows a statement that asks for generated keys may change (over all its executions), and so most keys
     * it returns. Beyond it the entry fails with SQLState 54000 and changes nothing; the count depends only on
     * the data, so every replica fails alike. It is checked on the update count, before any key is read: H2
     * keeps at most this many result rows in memory ({@link H2Sessions#RESULT_ROWS_IN_MEMORY}) and cannot read
     * generated keys back reliably from disk.
     */
    static final int MAX_GENERATED_KEYS = H2Sessions.RESULT_ROWS_IN_MEMORY;
    /** Most encoded bytes of one statement's generated keys; also deterministic (encoded size of the values). */
    static final long MAX_GENERATED_KEY_BYTES = 8L * 1024 * 1024;

    private StatementResult execute(PreparedStatement ps, SqlStatement s, long logIndex, int statementNumber,
            long stampMillis) throws SQLException {
        List<List<Value>> parameterSets = s.parameterSets().isEmpty() ? List.of(List.of()) : s.parameterSets();
        List<Long> counts = new ArrayList<>(parameterSets.size());
        GeneratedKeys keys = s.wantsGeneratedKeys() ? new GeneratedKeys() : null;
        for (int execution = 0; execution < parameterSets.size(); execution++) {
            List<Value> parameters = parameterSets.get(execution);
            ParameterBinder.bind(ps, parameters);
            DeterministicFunctions.seed(logIndex, statementNumber, execution);
            EntryClock.pin(connection, stampMillis); // an execution of a DDL statement commits
            counts.add(ps.executeLargeUpdate());
            if (keys != null) {
                keys.checkRowCount(counts);
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    keys.add(rs);
                }
            }
        }
        return new StatementResult(counts, keys == null ? null : keys.toResultData());
    }

    /**
     * Collects the generated keys of every execution of a statement into one result, within
     * {@link #MAX_GENERATED_KEYS} and {@link #MAX_GENERATED_KEY_BYTES}. Both limits are properties of the data,
     * never of the replica (no memory or timing check), so a write fails for its key count on every replica or
     * on none.
     */
    private static final class GeneratedKeys {
        private List<ColumnMeta> columns;
        private final List<List<Value>> rows = new ArrayList<>();
        private long bytes;

        void add(ResultSet rs) throws SQLException {
            ResultData data;
            try {
                data = ResultSetReader.read(rs, MAX_GENERATED_KEY_BYTES - bytes);
            } catch (ResultTooLargeException e) {
                throw tooMany("more than " + MAX_GENERATED_KEY_BYTES + " bytes of generated keys");
            }
            if (columns == null) {
                columns = data.columns();
            }
            rows.addAll(data.rows());
            for (List<Value> row : data.rows()) {
                for (Value v : row) {
                    bytes += EncodedSize.of(v);
                }
            }
            if (rows.size() > MAX_GENERATED_KEYS) {
                throw tooMany(rows.size() + " generated keys, more than " + MAX_GENERATED_KEYS);
            }
        }

        /** Refuses before reading when the statement changed more rows than keys may be returned. */
        void checkRowCount(List<Long> updateCounts) throws SQLException {
            long changed = 0;
            for (long n : updateCounts) {
                changed += n;
            }
            if (changed > MAX_GENERATED_KEYS) {
                throw tooMany("generated keys for " + changed + " changed rows, more than " + MAX_GENERATED_KEYS);
            }
        }

        private static SQLException tooMany(String what) {
            return new SQLException("the statement returns " + what + "; the whole write was rolled back. Insert "
                    + "fewer rows per statement, or do not ask for generated keys", StoreSqlStates.TOO_LARGE);
        }

        ResultData toResultData() {
            return columns == null ? ResultData.empty() : new ResultData(columns, rows);
        }
    }
}
