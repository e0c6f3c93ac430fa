package org.lockstepdb.protocol;

import java.util.List;

/**
 * The outcome of one {@link SqlStatement}: one update count per execution, and the generated keys when asked
 * for ({@code null} otherwise).
 */
public record StatementResult(List<Long> updateCounts, ResultData generatedKeys) {
    public StatementResult {
        updateCounts = List.copyOf(updateCounts);
    }
}
