package org.lockstepdb.protocol.sql;

import java.util.Set;
import org.lockstepdb.protocol.sql.SqlToken.Kind;

/**
 * Finds what makes a query change state, on H2's tokens: a sequence draw ({@code NEXT VALUE FOR s},
 * {@code NEXTVAL('s')}) or a data change delta table ({@code FINAL TABLE (INSERT …)}, {@code NEW TABLE (UPDATE …)},
 * {@code OLD TABLE (DELETE …)}, also of MERGE). Such a query is a write that returns rows
 * ({@link StatementKind#WRITING_QUERY}).
 *
 * <p>Why on tokens and not on the first keyword: Hibernate draws ids with {@code SELECT NEXT VALUE FOR s} and jOOQ
 * implements RETURNING on H2 as {@code SELECT … FROM FINAL TABLE (INSERT …)}; both begin like a read. A form this
 * misses still cannot change a replica: the read path runs on a user with SELECT rights only and asks H2 whether
 * the statement is read-only before it runs (storage's {@code ReadOnlyCheck}), so a miss is refused, not run.
 */
final class WritingQueries {
    /** The data change statements H2 accepts inside {@code FINAL|NEW|OLD TABLE (…)} (REPLACE: MySQL mode). */
    private static final Set<String> DATA_CHANGE = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE");
    private static final Set<String> DELTA_TABLES = Set.of("FINAL", "NEW", "OLD");

    private WritingQueries() {
    }

    /** True if the statement draws a sequence value or changes rows through a data change delta table. */
    static boolean changesState(StatementTokens t) {
        return find(t, true);
    }

    /** True if the statement draws a sequence value ({@code NEXT VALUE FOR s}, {@code NEXTVAL('s')}). */
    static boolean drawsSequence(StatementTokens t) {
        return find(t, false);
    }

    private static boolean find(StatementTokens t, boolean deltaTables) {
        for (int i = 0; i < t.count(); i++) {
            SqlToken tk = t.get(i);
            if (tk.kind() != Kind.IDENT || (i > 0 && t.get(i - 1).is("."))) {
                continue; // quoted names and qualified parts (t.next) are names, not keywords
            }
            if (t.word(i, "NEXT") && t.word(i + 1, "VALUE") && t.word(i + 2, "FOR")) {
                return true;
            }
            if (t.word(i, "NEXTVAL") && i + 1 < t.count() && t.get(i + 1).is("(")) {
                return true;
            }
            if (deltaTables && DELTA_TABLES.contains(tk.name()) && t.word(i + 1, "TABLE") && i + 3 < t.count()
                    && t.get(i + 2).is("(") && t.get(i + 3).kind() == Kind.IDENT
                    && DATA_CHANGE.contains(t.get(i + 3).name())) {
                return true;
            }
        }
        return false;
    }
}
