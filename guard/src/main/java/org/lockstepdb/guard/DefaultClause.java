package org.lockstepdb.guard;

import org.lockstepdb.protocol.sql.StatementKind;
import org.lockstepdb.protocol.sql.StatementTokens;

/**
 * Whether a token of a DDL statement sits in a column's or a domain's {@code DEFAULT} or {@code ON UPDATE}
 * expression. Such an expression is evaluated only while a write is applied (a later INSERT or UPDATE, or the
 * DDL itself filling existing rows), on the replicas' apply session, whose clock is that log entry's stamp and
 * whose random functions are seeded per entry: so clock reads there are accepted as written, and random
 * functions become their seeded forms
 * ({@link org.lockstepdb.protocol.sql.SeededDefaults}). Anything else in DDL (CHECK, generated columns, views,
 * CREATE TABLE … AS) keeps the stricter rule.
 */
final class DefaultClause {
    private DefaultClause() {
    }

    static boolean contains(StatementTokens t, StatementKind kind, int i) {
        boolean tableOrDomain = kind == StatementKind.CREATE_TABLE || kind == StatementKind.CREATE_DOMAIN
                || kind == StatementKind.DDL_OTHER && t.word(0, "ALTER") && (t.word(1, "TABLE") || t.word(1, "DOMAIN"));
        if (!tableOrDomain) {
            return false;
        }
        for (int k = i - 1; k >= 0; k--) {
            if (t.get(k).is(")")) {
                k = t.match(k); // a group before the token, not around it: CAST(NULL AS DATE), …
                continue;
            }
            if (t.word(k, "DEFAULT") || t.word(k, "UPDATE") && k > 0 && t.word(k - 1, "ON")) {
                return reaches(t, k, i);
            }
            if (t.word(k, "CHECK") || t.word(k, "AS") || t.word(k, "GENERATED") || t.word(k, "SELECT")
                    || t.word(k, "VALUES")) {
                return false;
            }
        }
        return false;
    }

    /** The clause's expression runs from {@code clause} to {@code i}: no comma or closing parenthesis of its level. */
    private static boolean reaches(StatementTokens t, int clause, int i) {
        int level = t.group(clause);
        for (int k = clause + 1; k < i; k++) {
            if (t.group(k) == level && t.get(k).is(",")) {
                return false;
            }
        }
        return level == -1 || t.match(level) > i;
    }
}
