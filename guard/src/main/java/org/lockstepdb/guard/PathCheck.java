package org.lockstepdb.guard;

import org.lockstepdb.protocol.sql.Classification;
import org.lockstepdb.protocol.sql.SqlRefusal;
import org.lockstepdb.protocol.sql.SqlToken.Kind;
import org.lockstepdb.protocol.sql.StatementKind;

/**
 * Whether a classified statement fits the path it came by: a read must be a query, a write must not be a query
 * that only reads. A query that writes ({@link StatementKind#WRITING_QUERY}) passes both here: a write accepts it,
 * and a read refuses it after the token scan ({@link #refuseWritingRead}), so that a sequence draw is refused
 * where it stands.
 */
final class PathCheck {
    private PathCheck() {
    }

    /**
     * @return the statement's kind, accepted for {@code mode}
     * @throws SqlRefusal the classifier's refusal, or {@link GuardCodes#WRONG_CLASS} for the wrong path
     */
    static StatementKind kindFor(Classification c, Analyzer.Mode mode) throws SqlRefusal {
        if (mode != Analyzer.Mode.READ && c.explainAt() >= 0) {
            throw new Rejected(GuardCodes.WRONG_CLASS, "EXPLAIN is not a write (EXPLAIN ANALYZE would run the "
                    + "statement outside the log); send EXPLAIN of a query as a read");
        }
        if (c.refusal() != null) {
            throw c.refusal();
        }
        StatementKind k = c.kind();
        if (mode == Analyzer.Mode.READ && !k.returnsRows()) {
            throw new Rejected(GuardCodes.WRONG_CLASS, "a read must be a query (SELECT, VALUES, TABLE, WITH … SELECT, "
                    + "EXPLAIN SELECT); " + first(c) + " changes data: send it as a write");
        }
        if (mode == Analyzer.Mode.WRITE && k == StatementKind.QUERY) {
            throw new Rejected(GuardCodes.WRONG_CLASS, "a query was sent as a write; run it as a read (executeQuery). "
                    + "Queries that draw sequence values (NEXT VALUE FOR) or change rows (FINAL TABLE (INSERT …)) are "
                    + "writes, the others reads");
        }
        return k;
    }

    /** After the scan of a read: a query that changes rows through a data change delta table is refused. */
    static void refuseWritingRead(StatementKind k, Analyzer.Mode mode) throws Rejected {
        if (mode == Analyzer.Mode.READ && k == StatementKind.WRITING_QUERY) {
            throw new Rejected(GuardCodes.WRONG_CLASS, "this query changes rows (FINAL, NEW or OLD TABLE of an INSERT, "
                    + "UPDATE, DELETE or MERGE): a read must not change a replica's state; send it as a write (the "
                    + "LockstepDB driver does so for executeQuery too)");
        }
    }

    private static String first(Classification c) {
        return c.tokens().get(0).kind() == Kind.IDENT ? c.tokens().get(0).name() : "the statement";
    }
}
