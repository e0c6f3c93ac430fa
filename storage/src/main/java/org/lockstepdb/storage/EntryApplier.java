package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.StatementResult;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.sql.Classification;
import org.lockstepdb.protocol.sql.StatementKind;

/**
 * Runs the statements of one log entry on the apply session, inside the caller's transaction; a query that writes
 * ({@link StatementKind#WRITING_QUERY}) runs as a query and its rows become the statement's result
 * ({@link WriteResultRows}). It neither commits nor rolls back: {@link SqlStore} owns the transaction, so the
 * applied index is stored atomically with the entry's effects. While it runs, the session's clock is the entry's
 * stamp ({@link EntryClock}) and RAND/UUID draw from the entry's seeded streams ({@link DeterministicFunctions}).
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
        // Unqualified names resolve in the writing connection's schema; a schema dropped meanwhile fails the same
        // way (90079) on every replica. The apply session is shared: always back to PUBLIC afterwards.
        refused = SessionSchema.enter(connection, entry.session());
        if (refused.isPresent()) {
            return new Refused(refused.get());
        }
        try {
            return applyInSchema(logIndex, classified);
        } finally {
            SessionSchema.leave(connection, entry.session());
        }
    }

    private AppliedOrRefused applyInSchema(long logIndex, ClassifiedEntry classified) throws SQLException {
        WriteRequest entry = classified.entry();
        Optional<ErrorReply> refused;
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
            try (PreparedStatement ps = prepare(statement, kind)) {
                refused = WriteGuard.checkStatement(statement.sql(), kind, ps.getMetaData() != null);
                if (refused.isPresent()) {
                    return new Refused(refused.get());
                }
                int statementNumber = i;
                try {
                    results.add(execute(ps, statement, kind.kind() == StatementKind.WRITING_QUERY, execution -> {
                        DeterministicFunctions.seed(logIndex, statementNumber, execution);
                        EntryClock.pin(connection, entry.stampMillis()); // an execution of a DDL statement commits
                        TempTableNames.reset(connection);
                    }));
                } finally {
                    if (kind.isDdl()) {
                        SequenceRows.realignAfterDdl(connection); // ALTER TABLE leaves identity rows stale
                    }
                }
            }
        }
        return new Applied(results);
    }

    private PreparedStatement prepare(SqlStatement s, Classification kind) throws SQLException {
        return prepare(connection, s, kind.kind() == StatementKind.WRITING_QUERY);
    }

    /**
     * Prepares {@code s} on {@code connection}, asking H2 for the generated keys {@code s} wants; a query that
     * writes ({@code returnsRows}) has its rows as its answer and no generated keys.
     */
    static PreparedStatement prepare(Connection connection, SqlStatement s, boolean returnsRows) throws SQLException {
        if (returnsRows) {
            return connection.prepareStatement(s.sql());
        }
        return switch (s.generatedKeys().kind()) {
            case NONE -> connection.prepareStatement(s.sql());
            case TABLE_KEYS -> connection.prepareStatement(s.sql(), Statement.RETURN_GENERATED_KEYS);
            case NAMED -> connection.prepareStatement(s.sql(), s.generatedKeys().columns().toArray(new String[0]));
        };
    }

    /** Keys RAND()/UUID() for one execution of a statement (see {@link DeterministicFunctions}). */
    interface ExecutionSeed {
        void seed(int execution) throws SQLException;
    }

    /**
     * Runs a prepared write once per parameter set, seeding the random functions and making every ORDER BY total
     * ({@link TieBreaking}) before each execution, and collects the update counts and, within
     * {@link WriteResultRows}' limits, the generated keys or (a query that writes, {@code returnsRows}) the result
     * rows. Shared by log entries and transaction scripts ({@link TransactionReplay}).
     *
     * @throws SQLException H2's error, or 54000 when the keys or rows exceed their limits
     */
    static StatementResult execute(PreparedStatement ps, SqlStatement s, boolean returnsRows, ExecutionSeed seed)
            throws SQLException {
        List<List<Value>> parameterSets = s.parameterSets().isEmpty() ? List.of(List.of()) : s.parameterSets();
        List<Long> counts = new ArrayList<>(parameterSets.size());
        WriteResultRows rows = returnsRows ? WriteResultRows.queryRows() : null;
        WriteResultRows keys = !returnsRows && s.wantsGeneratedKeys() ? WriteResultRows.generatedKeys() : null;
        TieBreaking ties = TieBreaking.of(ps);
        for (int execution = 0; execution < parameterSets.size(); execution++) {
            List<Value> parameters = parameterSets.get(execution);
            ParameterBinder.bind(ps, parameters);
            seed.seed(execution);
            ties.beforeExecution(); // every ORDER BY a total order (which rows LIMIT picks, in which order)
            if (rows != null) {
                // a query that writes: H2 draws the sequence values or runs the data change statement of the
                // delta table while it builds the result, in this entry's transaction; one row past the limit
                // is enough to refuse, and a deterministic place to stop
                ps.setMaxRows(WriteResultRows.MAX_ROWS + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rows.add(rs);
                }
                counts.add(-1L);
                continue;
            }
            counts.add(ps.executeLargeUpdate());
            if (keys != null) {
                keys.checkRowCount(counts);
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    keys.add(rs);
                }
            }
        }
        return new StatementResult(counts, keys == null ? null : keys.toResultData(),
                rows == null ? null : rows.toResultData());
    }
}
