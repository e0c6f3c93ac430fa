package org.lockstepdb.protocol.sql;

import java.util.regex.Pattern;
import org.lockstepdb.protocol.sql.SqlToken.Kind;

/**
 * Decides what one statement text is: a query, a write (INSERT, UPDATE, DELETE, MERGE, or a query that writes:
 * {@link StatementKind#WRITING_QUERY}) or DDL of a form
 * LockstepDB supports — or why it is refused (several statements, transaction control, SET, statements that
 * administer the server or run Java code, forms it does not know). This is the one classifier: the determinism
 * guard builds on it, the driver routes reads and writes by it, the server applies the "DDL alone" rule with
 * it and the storage's last-line checks use its {@link SqlKind coarse kind}.
 *
 * <p>The answer does not depend on the path (read or write) a statement came by, except that a write refuses
 * EXPLAIN whatever it explains ({@link Classification#explainAt()}). Stateless and thread-safe; the cost is one
 * pass of {@link SqlLexer} plus a look at the first few tokens.
 */
public final class StatementClassifier {
    private final StatementTokens t;
    private int explainAt = -1;

    private StatementClassifier(StatementTokens tokens) {
        this.t = tokens;
    }

    /** Classifies {@code sql} (any length; lexing is linear). Never throws. */
    public static Classification classify(String sql) {
        SqlLexer.Lexed lexed = SqlLexer.lex(sql);
        String firstWord = firstWord(lexed);
        StatementTokens tokens;
        try {
            tokens = StatementTokens.of(sql, lexed);
        } catch (SqlRefusal r) {
            return new Classification(lexed, null, null, r, -1, SqlKind.ofFirstWord(firstWord), firstWord);
        }
        StatementClassifier c = new StatementClassifier(tokens);
        try {
            StatementKind kind = c.classifyAt(0);
            if (kind == StatementKind.QUERY && WritingQueries.changesState(tokens)) {
                kind = StatementKind.WRITING_QUERY;
            }
            return new Classification(lexed, tokens, kind, null, c.explainAt, kind.coarse(), firstWord);
        } catch (SqlRefusal r) {
            return new Classification(lexed, tokens, null, r, c.explainAt, SqlKind.ofFirstWord(firstWord), firstWord);
        }
    }

    private static String firstWord(SqlLexer.Lexed lexed) {
        for (SqlToken token : lexed.tokens()) {
            if (!token.is("(")) {
                return token.kind() == Kind.IDENT ? token.name() : "";
            }
        }
        return "";
    }

    private boolean word(int i, String w) {
        return t.word(i, w);
    }

    private StatementKind classifyAt(int i) throws SqlRefusal {
        SqlToken f = t.get(i);
        if (f.is("(")) {
            return StatementKind.QUERY;
        }
        if (f.kind() != Kind.IDENT) {
            throw notUnderstood(i);
        }
        switch (f.name()) {
            case "SELECT", "VALUES", "TABLE":
                return StatementKind.QUERY;
            case "WITH": {
                // H2 2.5 accepts WITH only before a query (checked: WITH … INSERT is a syntax error in H2)
                int main = mainAfterWith(i + 1);
                if (classifyAt(main) != StatementKind.QUERY) {
                    throw notUnderstood(main);
                }
                return StatementKind.QUERY;
            }
            case "INSERT":
                return StatementKind.INSERT;
            case "UPDATE":
                return StatementKind.UPDATE;
            case "DELETE":
                return StatementKind.DELETE;
            case "MERGE":
                return StatementKind.MERGE;
            case "EXPLAIN":
                return explain(i);
            case "CREATE":
                return classifyCreate(i + 1);
            case "ALTER":
                return alter(i);
            case "DROP":
                return drop(i);
            case "TRUNCATE":
                if (word(i + 1, "TABLE")) {
                    return StatementKind.DDL_OTHER;
                }
                throw notUnderstood(i);
            case "COMMENT":
                if (word(i + 1, "ON")) {
                    return StatementKind.DDL_OTHER;
                }
                throw notUnderstood(i);
            case "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "BEGIN", "START", "END", "PREPARE":
                throw transactionControl(i);
            case "SET":
                if (word(i + 1, "AUTOCOMMIT")) {
                    throw transactionControl(i);
                }
                throw new SqlRefusal(SqlRefusal.SET_STATEMENT, "SET at " + t.where(f.start()) + " changes a session or "
                        + "database setting; settings belong to the replicas (a setting made on their shared apply "
                        + "session would leak into later log entries). Set connection options on the LockstepDB URL");
            case "RUNSCRIPT", "SCRIPT", "BACKUP":
                throw forbidden(i, f.name(), "reads or writes files on the server; use the lockstep admin commands "
                        + "for backup and restore");
            case "SHUTDOWN", "CHECKPOINT":
                throw forbidden(i, f.name(), "administers the replica's storage; use the lockstep admin commands");
            case "CALL":
                // H2 2.5 evaluates CALL's expression like SELECT: one row (user procedures need CREATE ALIAS,
                // which is refused), so the guard's rules for expressions apply to it
                if (i + 1 >= t.count()) {
                    throw notUnderstood(i);
                }
                return StatementKind.QUERY;
            case "EXECUTE":
                throw forbidden(i, f.name(), "runs prepared code the guard cannot inspect; write the statement "
                        + "itself");
            case "GRANT", "REVOKE":
                throw forbidden(i, f.name(), "administers accounts, which the replicas own");
            case "HELP", "SHOW", "ANALYZE", "DECLARE", "DEALLOCATE", "USE":
                throw forbidden(i, f.name(), "is not supported by LockstepDB");
            default:
                throw notUnderstood(i);
        }
    }

    /** EXPLAIN [ANALYZE] [PLAN FOR] query: a read; a write path refuses it at {@link #explainAt}. */
    private StatementKind explain(int i) throws SqlRefusal {
        if (explainAt < 0) {
            explainAt = i;
        }
        int j = i + 1;
        if (word(j, "ANALYZE")) {
            j++;
        }
        if (word(j, "PLAN") && word(j + 1, "FOR")) {
            j += 2;
        }
        if (j >= t.count() || classifyAt(j) != StatementKind.QUERY) {
            throw new SqlRefusal(SqlRefusal.WRONG_CLASS, "a read may EXPLAIN only a query");
        }
        return StatementKind.QUERY;
    }

    private StatementKind alter(int i) throws SqlRefusal {
        if (word(i + 1, "INDEX")) {
            refuseGeneratedIndexName(i + 2);
        }
        if (word(i + 1, "TABLE") || word(i + 1, "SEQUENCE") || word(i + 1, "INDEX") || word(i + 1, "VIEW")
                || word(i + 1, "SCHEMA") || word(i + 1, "DOMAIN")) {
            return StatementKind.DDL_OTHER;
        }
        if (word(i + 1, "USER") || word(i + 1, "ROLE")) {
            throw forbidden(i, "ALTER " + t.get(i + 1).name(), "administers accounts, which replicas own");
        }
        throw notUnderstood(i);
    }

    private StatementKind drop(int i) throws SqlRefusal {
        if (word(i + 1, "ALL") && word(i + 2, "OBJECTS")) {
            throw forbidden(i, "DROP ALL OBJECTS", "would also drop the replicas' bookkeeping (LOCKSTEP_SYS); "
                    + "drop your tables, views and sequences one by one");
        }
        if (word(i + 1, "INDEX")) {
            refuseGeneratedIndexName(i + 2);
        }
        if (word(i + 1, "TABLE") || word(i + 1, "INDEX") || word(i + 1, "SEQUENCE") || word(i + 1, "VIEW")
                || word(i + 1, "SCHEMA") || word(i + 1, "DOMAIN")) {
            return StatementKind.DDL_OTHER;
        }
        if (word(i + 1, "ALIAS") || word(i + 1, "AGGREGATE") || word(i + 1, "TRIGGER") || word(i + 1, "USER")
                || word(i + 1, "ROLE")) {
            throw forbidden(i, "DROP " + t.get(i + 1).name(), "administers the server, not your data");
        }
        throw notUnderstood(i);
    }

    private static final Pattern GENERATED_INDEX_NAME = Pattern.compile("PRIMARY_KEY_[0-9A-F]+|.+_INDEX_[0-9A-F]+");

    /**
     * H2 names the index behind a PRIMARY KEY or UNIQUE/FOREIGN KEY constraint after the table's internal id
     * ({@code PRIMARY_KEY_5}, {@code CONSTRAINT_54_0_INDEX_3}); a replica rebuilt from a snapshot, or after ALTER
     * TABLE copied the table, gives it another name, so DROP/ALTER INDEX of such a name would act on some
     * replicas only.
     */
    private void refuseGeneratedIndexName(int i) throws SqlRefusal {
        if (word(i, "IF") && word(i + 1, "EXISTS")) {
            i += 2;
        }
        while (i + 2 < t.count() && t.get(i).isIdentifier() && t.get(i + 1).is(".")) {
            i += 2; // schema-qualified: the index name is the last part
        }
        if (i < t.count() && t.get(i).isIdentifier() && GENERATED_INDEX_NAME.matcher(t.get(i).name()).matches()) {
            throw forbidden(i, t.get(i).name(), "is a name H2 generated for the index behind a constraint, from the "
                    + "table's internal id, which differs between replicas (a replica rebuilt from a snapshot names it "
                    + "anew); drop or change the constraint (ALTER TABLE … DROP CONSTRAINT) instead");
        }
    }

    private StatementKind classifyCreate(int i) throws SqlRefusal {
        if (word(i, "OR") && word(i + 1, "REPLACE")) {
            i += 2;
        }
        if (word(i, "FORCE")) {
            if (word(i + 1, "VIEW")) {
                throw forbidden(i, "CREATE FORCE VIEW", "creates a view H2 may keep invalid; whether it can be used "
                        + "would then depend on when each replica last opened its database. Create the view after its "
                        + "tables");
            }
            i++;
        }
        int j = i;
        while (word(j, "UNIQUE") || word(j, "HASH") || word(j, "SPATIAL") || word(j, "NULLS") || word(j, "DISTINCT")
                || word(j, "NOT") || word(j, "ALL")) {
            j++;
        }
        if (word(j, "INDEX")) {
            return StatementKind.CREATE_INDEX;
        }
        while (word(i, "CACHED") || word(i, "MEMORY")) {
            i++;
        }
        if (word(i, "LOCAL") || word(i, "GLOBAL") || word(i, "TEMPORARY") || word(i, "TEMP")) {
            throw forbidden(i, "CREATE " + t.get(i).name() + " … TABLE", "would create a temporary table, which "
                    + "lives in one session; on the replicas it would survive between log entries and vanish on "
                    + "restart. Use a regular table (for Hibernate's bulk HQL, its InlineMutationStrategy: "
                    + "docs/ECOSYSTEM.md)");
        }
        if (i >= t.count() || t.get(i).kind() != Kind.IDENT) {
            throw notUnderstood(0);
        }
        switch (t.get(i).name()) {
            case "TABLE":
                return createTable(i);
            case "VIEW":
                return StatementKind.CREATE_VIEW;
            case "SEQUENCE", "SCHEMA":
                return StatementKind.DDL_OTHER;
            case "DOMAIN":
                return StatementKind.CREATE_DOMAIN;
            case "ALIAS", "AGGREGATE":
                throw forbidden(i, "CREATE " + t.get(i).name(), "runs Java code (a class name or source) on every "
                        + "replica; only H2's built-in functions are available");
            case "TRIGGER":
                throw forbidden(i, "CREATE TRIGGER", "runs Java code on every replica; do the work in your statements");
            case "LINKED":
                throw forbidden(i, "CREATE LINKED TABLE", "connects each replica to another database");
            case "USER", "ROLE":
                throw forbidden(i, "CREATE " + t.get(i).name(), "administers accounts, which the replicas own");
            default:
                throw notUnderstood(0);
        }
    }

    private StatementKind createTable(int i) throws SqlRefusal {
        for (int k = i; k < t.count(); k++) {
            if (t.group(k) == -1 && word(k, "ENGINE")) {
                throw forbidden(k, "ENGINE", "loads a Java class as table engine");
            }
            if (t.group(k) == -1 && word(k, "NOT") && word(k + 1, "PERSISTENT")) {
                throw forbidden(k, "NOT PERSISTENT", "tables would be lost when a replica restarts and differ "
                        + "between replicas");
            }
        }
        return StatementKind.CREATE_TABLE;
    }

    /** Index of the main statement keyword after {@code WITH name [(cols)] AS (…) [, …]}. */
    private int mainAfterWith(int i) throws SqlRefusal {
        if (word(i, "RECURSIVE")) {
            i++;
        }
        for (;;) {
            if (i >= t.count() || !t.get(i).isIdentifier()) {
                throw notUnderstood(0);
            }
            i++;
            if (i < t.count() && t.get(i).is("(")) {
                i = t.match(i) + 1;
            }
            if (!word(i, "AS")) {
                throw notUnderstood(0);
            }
            i++;
            if (word(i, "NOT")) {
                i++;
            }
            if (word(i, "MATERIALIZED")) {
                i++;
            }
            if (i >= t.count() || !t.get(i).is("(")) {
                throw notUnderstood(0);
            }
            i = t.match(i) + 1;
            if (i < t.count() && t.get(i).is(",")) {
                i++;
                continue;
            }
            if (i >= t.count()) {
                throw notUnderstood(0);
            }
            return i;
        }
    }

    private SqlRefusal transactionControl(int i) {
        return new SqlRefusal(SqlRefusal.TRANSACTION_CONTROL, t.get(i).name() + " at " + t.where(t.get(i).start())
                + " is transaction control, which LockstepDB does not take as SQL; " + SqlRefusal.AUTO_COMMIT_ADVICE);
    }

    /** A refusal with SQLState {@link SqlRefusal#FORBIDDEN}: "{what} at {where} is forbidden: it {reason}". */
    public static SqlRefusal forbidden(StatementTokens t, int i, String what, String reason) {
        return new SqlRefusal(SqlRefusal.FORBIDDEN, what + " at " + t.where(t.get(i).start()) + " is forbidden: it "
                + reason);
    }

    private SqlRefusal forbidden(int i, String what, String reason) {
        return forbidden(t, i, what, reason);
    }

    private SqlRefusal notUnderstood(int i) {
        String sql = t.sql();
        int start = t.get(i).start();
        String head = sql.substring(start, Math.min(sql.length(), start + 40)).strip();
        return new SqlRefusal(SqlRefusal.NOT_UNDERSTOOD, "the guard does not know this statement form (\"" + head
                + "\" at " + t.where(start) + "); supported: INSERT, UPDATE, DELETE, MERGE, CREATE/ALTER/DROP "
                + "TABLE, INDEX, SEQUENCE, VIEW, SCHEMA, DOMAIN, TRUNCATE TABLE, COMMENT ON (writes) and queries (SELECT, "
                + "VALUES, TABLE, WITH … SELECT, CALL)");
    }
}
