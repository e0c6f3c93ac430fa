package org.lockstepdb.guard;

import java.util.Set;
import org.lockstepdb.protocol.sql.SqlRefusal;
import org.lockstepdb.protocol.sql.SqlToken.Kind;
import org.lockstepdb.protocol.sql.StatementTokens;

/**
 * Refuses a write with a FROM clause of more than {@link #MAX_JOINED_TABLES_IN_WRITE} tables: H2 searches the
 * join order of such a query until a wall-clock budget runs out, so replicas could choose different orders
 * and visit rows in different orders. Up to that many, H2 joins in the order written.
 */
final class JoinWidth {
    /** H2 tries join orders within a time budget above this many tables in one FROM (its Optimizer class). */
    static final int MAX_JOINED_TABLES_IN_WRITE = 7;
    private static final Set<String> AFTER_FROM_LIST = Set.of("WHERE", "GROUP", "HAVING", "ORDER", "WINDOW",
            "QUALIFY", "UNION", "EXCEPT", "INTERSECT", "MINUS", "FETCH", "LIMIT", "OFFSET", "FOR", "SET", "WHEN",
            "VALUES");

    private JoinWidth() {
    }

    /** @throws SqlRefusal {@link GuardCodes#ROW_ORDER} if a query block of the write joins too many tables */
    static void check(StatementTokens t) throws SqlRefusal {
        int n = t.count();
        for (int i = 0; i < n; i++) {
            if (!t.word(i, "FROM")) {
                continue;
            }
            int tables = 1;
            for (int k = i + 1; k < n && !t.get(k).is(")"); k++) {
                if (t.group(k) != t.group(i)) {
                    continue; // inside a derived table or subquery: its own FROM is counted on its own
                }
                if (t.get(k).kind() == Kind.IDENT && AFTER_FROM_LIST.contains(t.get(k).name())) {
                    break;
                }
                if (t.get(k).is(",") || t.word(k, "JOIN")) {
                    tables++;
                }
            }
            if (tables > MAX_JOINED_TABLES_IN_WRITE) {
                throw new Rejected(GuardCodes.ROW_ORDER, "the FROM clause at " + t.where(t.get(i).start()) + " joins "
                        + tables + " tables; in a write at most " + MAX_JOINED_TABLES_IN_WRITE + " may be joined in one "
                        + "query block, because H2 picks the join order of larger joins within a time budget, which "
                        + "may differ between replicas. Join fewer tables per block (e.g. through a derived table)");
            }
        }
    }
}
