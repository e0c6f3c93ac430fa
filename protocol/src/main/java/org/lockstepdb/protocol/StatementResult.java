package org.lockstepdb.protocol;

import java.util.List;

/**
 * The outcome of one {@link SqlStatement}: one update count per execution, the generated keys when asked for
 * ({@code null} otherwise), and the rows of a statement that returns rows through the log ({@code null} for one
 * that does not).
 *
 * @param updateCounts  one per execution; {@code -1} for an execution of a query that writes (it returns rows,
 *                      not a count, as JDBC's {@code getUpdateCount()} says for a result set)
 * @param generatedKeys the keys asked for, or null
 * @param rows          the result set of a query that writes ({@code SELECT NEXT VALUE FOR s},
 *                      {@code SELECT … FROM FINAL TABLE (INSERT …)}), the rows of all executions in order; null
 *                      for other statements
 */
public record StatementResult(List<Long> updateCounts, ResultData generatedKeys, ResultData rows) {
    public StatementResult {
        updateCounts = List.copyOf(updateCounts);
    }

    /** A result without rows: an update, with or without generated keys. */
    public StatementResult(List<Long> updateCounts, ResultData generatedKeys) {
        this(updateCounts, generatedKeys, null);
    }
}
