package org.lockstepdb.guard;

import org.lockstepdb.protocol.sql.StatementKind;
import org.lockstepdb.protocol.sql.StatementTokens;

/**
 * Whether a token of a {@code CREATE TABLE … AS query} sits in that query. The query runs once, while the DDL's own
 * log entry is applied, to fill the new table: a clock read there is a value of that write, like one in
 * {@code INSERT … SELECT}, and becomes a literal of the entry's stamp. (Flyway's H2 history table is created this
 * way: {@code CREATE TABLE … AS SELECT -1, …, CURRENT_TIMESTAMP, 0, TRUE}.) The query is the part after the
 * statement's top-level {@code AS}: a column's {@code AS (…)} or {@code GENERATED … AS} sits inside the column
 * list's parentheses.
 */
final class CreateTableQuery {
    private CreateTableQuery() {
    }

    static boolean contains(StatementTokens t, StatementKind kind, int i) {
        if (kind != StatementKind.CREATE_TABLE) {
            return false;
        }
        for (int k = 0; k < i; k++) {
            if (t.group(k) == -1 && t.word(k, "AS")) {
                return true;
            }
        }
        return false;
    }
}
