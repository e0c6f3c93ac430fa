package org.lockstepdb.storage;

import java.util.ArrayList;
import java.util.List;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.sql.Classification;
import org.lockstepdb.protocol.sql.StatementClassifier;

/**
 * A log entry with each statement classified once ({@link StatementClassifier}), for the replica's checks
 * ({@link WriteGuard}) and the apply session's settings: one classification per statement per apply.
 *
 * @param statements one per statement of {@code entry}, in order
 * @param hasDdl     whether any statement is DDL (H2 commits it at once; it takes the DDL lock timeout)
 */
record ClassifiedEntry(WriteRequest entry, List<Classification> statements, boolean hasDdl) {
    static ClassifiedEntry of(WriteRequest entry) {
        List<Classification> classes = new ArrayList<>(entry.statements().size());
        boolean ddl = false;
        for (var s : entry.statements()) {
            Classification c = StatementClassifier.classify(s.sql());
            classes.add(c);
            ddl |= c.isDdl();
        }
        return new ClassifiedEntry(entry, List.copyOf(classes), ddl);
    }
}
