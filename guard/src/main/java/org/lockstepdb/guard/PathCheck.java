package org.lockstepdb.guard;

import org.lockstepdb.protocol.sql.Classification;
import org.lockstepdb.protocol.sql.SqlRefusal;
import org.lockstepdb.protocol.sql.SqlToken.Kind;
import org.lockstepdb.protocol.sql.StatementKind;

/** Whether a classified statement fits the path it came by: a read must be a query, a write must not be one. */
final class PathCheck {
    private PathCheck() {
    }

    /**
     * @return the statement's kind, accepted for {@code mode}
     * @throws SqlRefusal the classifier's refusal, or {@link GuardCodes#WRONG_CLASS} for the wrong path
     */
    static StatementKind kindFor(Classification c, Analyzer.Mode mode) throws SqlRefusal {
        if (mode == Analyzer.Mode.WRITE && c.explainAt() >= 0) {
            throw new Rejected(GuardCodes.WRONG_CLASS, "EXPLAIN is not a write (EXPLAIN ANALYZE would run the "
                    + "statement outside the log); send EXPLAIN of a query as a read");
        }
        if (c.refusal() != null) {
            throw c.refusal();
        }
        StatementKind k = c.kind();
        if (mode == Analyzer.Mode.READ && k != StatementKind.QUERY) {
            throw new Rejected(GuardCodes.WRONG_CLASS, "a read must be a query (SELECT, VALUES, TABLE, WITH … SELECT, "
                    + "EXPLAIN SELECT); " + first(c) + " changes data: send it as a write");
        }
        if (mode == Analyzer.Mode.WRITE && k == StatementKind.QUERY) {
            throw new Rejected(GuardCodes.WRONG_CLASS, "a query was sent as a write; run it as a read (executeQuery). "
                    + "To draw a sequence value through the log, use it in an INSERT or UPDATE");
        }
        return k;
    }

    private static String first(Classification c) {
        return c.tokens().get(0).kind() == Kind.IDENT ? c.tokens().get(0).name() : "the statement";
    }
}
