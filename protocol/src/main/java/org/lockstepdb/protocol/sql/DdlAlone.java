package org.lockstepdb.protocol.sql;

import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.SqlStatement;

/**
 * The rule "DDL is sent alone": H2 commits DDL at once, so a write that must be all-or-nothing can hold DDL
 * only as its one statement execution. The leader checks it before a write enters the log, and every replica
 * again before it applies an entry (the last line); both answer with this one SQLState and message.
 */
public final class DdlAlone {
    /** SQLState of the refusal: feature not supported. */
    public static final String SQLSTATE = "0A000";

    private DdlAlone() {
    }

    /**
     * @param statements the write's statements
     * @param isDdl      whether statement {@code i} (index into {@code statements}) is DDL
     * @return the refusal (SQLState {@link #SQLSTATE}) if the write has DDL and more than one execution
     */
    public static Optional<ErrorReply> check(List<SqlStatement> statements, IntPredicate isDdl) {
        long executions = 0;
        int firstDdl = -1;
        for (int i = 0; i < statements.size(); i++) {
            executions += statements.get(i).executions();
            if (firstDdl < 0 && isDdl.test(i)) {
                firstDdl = i;
            }
        }
        if (firstDdl >= 0 && executions > 1) {
            return Optional.of(new ErrorReply(SQLSTATE, 0, "DDL statements must be sent alone, not in a batch or "
                    + "multi-statement write, because H2 commits DDL immediately and the write could not be atomic "
                    + "(statement " + (firstDdl + 1) + " of the batch; nothing was applied)"));
        }
        return Optional.empty();
    }
}
