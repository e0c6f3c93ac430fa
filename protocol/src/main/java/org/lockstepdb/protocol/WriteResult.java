package org.lockstepdb.protocol;

import java.util.List;

/**
 * A write that was applied: the log index it was applied at (a client can ask later reads to be at least this
 * fresh) and one result per statement.
 */
public record WriteResult(long logIndex, List<StatementResult> results) implements Reply {
    public WriteResult {
        results = List.copyOf(results);
    }
}
