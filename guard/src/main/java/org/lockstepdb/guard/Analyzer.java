package org.lockstepdb.guard;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.lockstepdb.guard.FunctionPolicy.Entry;
import org.lockstepdb.guard.FunctionPolicy.Rule;
import org.lockstepdb.guard.H2Lexer.Kind;
import org.lockstepdb.guard.H2Lexer.Token;
import org.lockstepdb.protocol.StatementLimits;

/**
 * Classifies one statement text. The token rules here run on every statement (they see exactly H2's tokens,
 * see {@link H2Lexer}); for DML and queries {@link CalciteCheck} then parses the text with Calcite and
 * cross-checks the tree against these tokens. One instance per analysis; not thread-safe, not reused.
 */
final class Analyzer {
    enum Mode { WRITE, READ }

    enum StatementKind {
        INSERT, UPDATE, DELETE, MERGE, QUERY, CREATE_TABLE, CREATE_VIEW, CREATE_INDEX, CREATE_DOMAIN, DDL_OTHER;

        boolean isDdl() {
            return ordinal() >= CREATE_TABLE.ordinal();
        }
    }

    /** Schemas a write may not name: LockstepDB's own (bookkeeping, deterministic functions) and H2's catalog. */
    private static final java.util.Set<String> RESERVED_SCHEMAS = java.util.Set.of("LOCKSTEP_SYS", "LOCKSTEP_FN",
            "INFORMATION_SCHEMA");

    private final String sql;
    private final Mode mode;
    private List<Token> t;
    private int n;
    private int[] group;
    private int[] match;
    private final BitSet groupsWithOrderBy = new BitSet();
    /** Tokens the scan recognised as function calls or function keywords (for the Calcite cross-check). */
    final BitSet examined = new BitSet();
    StatementKind kind;
    private final List<Plan.Splice> splices = new ArrayList<>(2);
    private boolean seededRandom;

    private Analyzer(String sql, Mode mode) {
        this.sql = sql;
        this.mode = mode;
    }

    static Plan analyze(String sql, Mode mode, boolean useCalcite) {
        Analyzer a = new Analyzer(sql, mode);
        String path = "tokens";
        try {
            H2Lexer.Lexed lexed = a.prepare();
            a.kind = a.classify();
            a.scan();
            if (useCalcite && (a.kind == StatementKind.QUERY || !a.kind.isDdl())) {
                if (CalciteCheck.checkOrReject(sql, lexed.comments(), a.t, a.n, a.examined, a.kind)) {
                    path = "calcite+tokens";
                }
            }
        } catch (Rejected r) {
            return Plan.rejected(GuardCodes.reply(r.sqlState, r.getMessage()), path);
        } catch (StackOverflowError e) {
            // Calcite reads nesting recursively too (e.g. thousands of NOTs): refuse on the leader, never log it
            return Plan.rejected(GuardCodes.reply(GuardCodes.TOO_COMPLEX, "the statement is nested too deeply to be "
                    + "checked (NOT NOT …, CASE in CASE, ARRAY[ARRAY[…]], casts of casts); flatten it"), path);
        }
        String classification = !a.splices.isEmpty() ? "rewritten"
                : a.seededRandom ? "deterministic-on-replicas" : "deterministic";
        return new Plan(null, List.copyOf(a.splices), classification, path);
    }

    // ---------------------------------------------------------------------------------------------- prepare

    private H2Lexer.Lexed prepare() throws Rejected {
        if (sql.length() > StatementGuard.MAX_SQL_CHARS) {
            throw new Rejected(GuardCodes.TOO_LONG, "the statement is " + sql.length() + " characters long; the limit is "
                    + StatementGuard.MAX_SQL_CHARS + ": send large data as parameters or split the statement");
        }
        H2Lexer.Lexed lexed;
        try {
            lexed = H2Lexer.lex(sql);
        } catch (H2Lexer.LexException e) {
            throw new Rejected(GuardCodes.NOT_UNDERSTOOD, "cannot read the statement: " + e.getMessage() + " at "
                    + where(e.offset) + "; the statement was not run");
        }
        t = lexed.tokens();
        n = t.size();
        if (n > 0 && t.get(n - 1).is(";")) {
            n--;
        }
        for (int i = 0; i < n; i++) {
            if (t.get(i).is(";")) {
                throw new Rejected(GuardCodes.MULTI_STATEMENT, "more than one statement in one text (';' at "
                        + where(t.get(i).start()) + "): H2 would run every part; send each statement separately");
            }
        }
        if (n == 0) {
            throw new Rejected(GuardCodes.NOT_UNDERSTOOD, "empty statement");
        }
        group = new int[n];
        match = new int[n];
        int[] stack = new int[n];
        int top = 0;
        int[] operators = new int[n + 1]; // binary operators per enclosing group (index: open paren + 1)
        int brackets = 0; // ARRAY[ARRAY[…]] nests like parentheses
        for (int i = 0; i < n; i++) {
            if (t.get(i).is("[") && ++brackets > StatementLimits.MAX_NESTING_DEPTH) {
                throw new Rejected(GuardCodes.TOO_COMPLEX, "brackets nested more than " + StatementLimits.MAX_NESTING_DEPTH
                        + " deep (at " + where(t.get(i).start()) + "); flatten the statement");
            } else if (t.get(i).is("]") && brackets > 0) {
                brackets--;
            }
            group[i] = top == 0 ? -1 : stack[top - 1];
            Token tk = t.get(i);
            if (isBinaryOperator(tk) && ++operators[group[i] + 1] > StatementLimits.MAX_OPERATOR_CHAIN) {
                throw new Rejected(GuardCodes.TOO_COMPLEX, "more than " + StatementLimits.MAX_OPERATOR_CHAIN
                        + " operators (+ - * / % || ::, comparisons, AND, OR, NOT, CASE) in one expression level (at "
                        + where(tk.start()) + "); use IN (…) for long lists of alternatives, or split the statement");
            }
            if (tk.is("(")) {
                if (top == StatementLimits.MAX_NESTING_DEPTH) {
                    throw new Rejected(GuardCodes.TOO_COMPLEX, "parentheses nested more than "
                            + StatementLimits.MAX_NESTING_DEPTH + " deep (at " + where(tk.start()) + "); H2 evaluates "
                            + "nesting recursively, so LockstepDB limits it; flatten the statement");
                }
                stack[top++] = i;
            } else if (tk.is(")")) {
                if (top == 0) {
                    throw new Rejected(GuardCodes.NOT_UNDERSTOOD, "unbalanced ')' at " + where(tk.start()));
                }
                int open = stack[--top];
                match[open] = i;
                match[i] = open;
                group[i] = top == 0 ? -1 : stack[top - 1];
            } else if (tk.is("ORDER") && i + 1 < n && t.get(i + 1).is("BY")) {
                groupsWithOrderBy.set(group[i] + 1);
            }
        }
        if (top != 0) {
            throw new Rejected(GuardCodes.NOT_UNDERSTOOD, "unbalanced '(' at " + where(t.get(stack[top - 1]).start()));
        }
        return lexed;
    }

    /** Operators H2 nests recursively without parentheses (binary ones, casts with ::). */
    private static final java.util.Set<String> OPERATORS = java.util.Set.of("+", "-", "*", "/", "%", "||", "=",
            "<", ">", "<=", ">=", "<>", "!=", "&&", "::");
    /** Words that nest likewise: NOT NOT …, CASE WHEN … THEN CASE …. */
    private static final java.util.Set<String> NESTING_WORDS = java.util.Set.of("AND", "OR", "NOT", "CASE");

    private static boolean isBinaryOperator(Token tk) {
        return tk.kind() == Kind.IDENT ? NESTING_WORDS.contains(tk.name())
                : tk.kind() == Kind.PUNCT && OPERATORS.contains(tk.name());
    }

    // -------------------------------------------------------------------------------------------- classify

    private boolean word(int i, String w) {
        return i < n && t.get(i).kind() == Kind.IDENT && t.get(i).name().equals(w);
    }

    private StatementKind classify() throws Rejected {
        StatementKind k = classifyAt(0);
        if (mode == Mode.READ && k != StatementKind.QUERY) {
            throw new Rejected(GuardCodes.WRONG_CLASS, "a read must be a query (SELECT, VALUES, TABLE, WITH … SELECT, "
                    + "EXPLAIN SELECT); " + first() + " changes data: send it as a write");
        }
        if (mode == Mode.WRITE && k == StatementKind.QUERY) {
            throw new Rejected(GuardCodes.WRONG_CLASS, "a query was sent as a write; run it as a read (executeQuery). "
                    + "To draw a sequence value through the log, use it in an INSERT or UPDATE");
        }
        return k;
    }

    private String first() {
        return t.get(0).kind() == Kind.IDENT ? t.get(0).name() : "the statement";
    }

    private StatementKind classifyAt(int i) throws Rejected {
        Token f = t.get(i);
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
            case "EXPLAIN": {
                int j = i + 1;
                if (mode == Mode.WRITE) {
                    throw new Rejected(GuardCodes.WRONG_CLASS, "EXPLAIN is not a write (EXPLAIN ANALYZE would run the "
                            + "statement outside the log); send EXPLAIN of a query as a read");
                }
                if (word(j, "ANALYZE")) {
                    j++;
                }
                if (word(j, "PLAN") && word(j + 1, "FOR")) {
                    j += 2;
                }
                if (j >= n || classifyAt(j) != StatementKind.QUERY) {
                    throw new Rejected(GuardCodes.WRONG_CLASS, "a read may EXPLAIN only a query");
                }
                return StatementKind.QUERY;
            }
            case "CREATE":
                return classifyCreate(i + 1);
            case "ALTER":
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
            case "DROP":
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
                throw new Rejected(GuardCodes.SET_STATEMENT, "SET at " + where(f.start()) + " changes a session or "
                        + "database setting; settings belong to the replicas (a setting made on their shared apply "
                        + "session would leak into later log entries). Set connection options on the LockstepDB URL");
            case "RUNSCRIPT", "SCRIPT", "BACKUP":
                throw forbidden(i, f.name(), "reads or writes files on the server; use the lockstep admin commands "
                        + "for backup and restore");
            case "SHUTDOWN", "CHECKPOINT":
                throw forbidden(i, f.name(), "administers the replica's storage; use the lockstep admin commands");
            case "CALL", "EXECUTE":
                throw forbidden(i, f.name(), "runs procedures or prepared code the guard cannot inspect; write the "
                        + "expression in an INSERT, UPDATE or SELECT");
            case "GRANT", "REVOKE":
                throw forbidden(i, f.name(), "administers accounts, which the replicas own");
            case "HELP", "SHOW", "ANALYZE", "DECLARE", "DEALLOCATE", "USE":
                throw forbidden(i, f.name(), "is not supported by LockstepDB");
            default:
                throw notUnderstood(i);
        }
    }

    /**
     * H2 names the index behind a PRIMARY KEY or UNIQUE/FOREIGN KEY constraint after the table's internal id
     * ({@code PRIMARY_KEY_5}, {@code CONSTRAINT_54_0_INDEX_3}); a replica rebuilt from a snapshot, or after ALTER
     * TABLE copied the table, gives it another name, so DROP/ALTER INDEX of such a name would act on some
     * replicas only.
     */
    private void refuseGeneratedIndexName(int i) throws Rejected {
        if (word(i, "IF") && word(i + 1, "EXISTS")) {
            i += 2;
        }
        while (i + 2 < n && t.get(i).isIdentifier() && t.get(i + 1).is(".")) {
            i += 2; // schema-qualified: the index name is the last part
        }
        if (i < n && t.get(i).isIdentifier() && GENERATED_INDEX_NAME.matcher(t.get(i).name()).matches()) {
            throw forbidden(i, t.get(i).name(), "is a name H2 generated for the index behind a constraint, from the "
                    + "table's internal id, which differs between replicas (a replica rebuilt from a snapshot names it "
                    + "anew); drop or change the constraint (ALTER TABLE … DROP CONSTRAINT) instead");
        }
    }

    private static final java.util.regex.Pattern GENERATED_INDEX_NAME =
            java.util.regex.Pattern.compile("PRIMARY_KEY_[0-9A-F]+|.+_INDEX_[0-9A-F]+");

    private StatementKind classifyCreate(int i) throws Rejected {
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
            throw forbidden(i, "CREATE " + t.get(i).name() + " … TABLE", "temporary tables live in one session; on "
                    + "the replicas they would survive between log entries and vanish on restart. Use a regular table");
        }
        if (i >= n || t.get(i).kind() != Kind.IDENT) {
            throw notUnderstood(0);
        }
        switch (t.get(i).name()) {
            case "TABLE":
                for (int k = i; k < n; k++) {
                    if (group[k] == -1 && word(k, "ENGINE")) {
                        throw forbidden(k, "ENGINE", "loads a Java class as table engine");
                    }
                    if (group[k] == -1 && word(k, "NOT") && word(k + 1, "PERSISTENT")) {
                        throw forbidden(k, "NOT PERSISTENT", "tables would be lost when a replica restarts and "
                                + "differ between replicas");
                    }
                }
                return StatementKind.CREATE_TABLE;
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

    /** Index of the main statement keyword after {@code WITH name [(cols)] AS (…) [, …]}. */
    private int mainAfterWith(int i) throws Rejected {
        if (word(i, "RECURSIVE")) {
            i++;
        }
        for (;;) {
            if (i >= n || !t.get(i).isIdentifier()) {
                throw notUnderstood(0);
            }
            i++;
            if (i < n && t.get(i).is("(")) {
                i = match[i] + 1;
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
            if (i >= n || !t.get(i).is("(")) {
                throw notUnderstood(0);
            }
            i = match[i] + 1;
            if (i < n && t.get(i).is(",")) {
                i++;
                continue;
            }
            if (i >= n) {
                throw notUnderstood(0);
            }
            return i;
        }
    }

    // ------------------------------------------------------------------------------------------------ scan

    /** H2 tries join orders within a time budget above this many tables in one FROM (its Optimizer class). */
    static final int MAX_JOINED_TABLES_IN_WRITE = 7;
    private static final java.util.Set<String> AFTER_FROM_LIST = java.util.Set.of("WHERE", "GROUP", "HAVING", "ORDER",
            "WINDOW", "QUALIFY", "UNION", "EXCEPT", "INTERSECT", "MINUS", "FETCH", "LIMIT", "OFFSET", "FOR", "SET",
            "WHEN", "VALUES");

    /**
     * Refuses a write with a FROM clause of more than {@link #MAX_JOINED_TABLES_IN_WRITE} tables: H2 searches the
     * join order of such a query until a wall-clock budget runs out, so replicas could choose different orders
     * and visit rows in different orders. Up to that many, H2 joins in the order written.
     */
    private void checkJoinWidth() throws Rejected {
        for (int i = 0; i < n; i++) {
            if (!word(i, "FROM")) {
                continue;
            }
            int tables = 1;
            for (int k = i + 1; k < n && !t.get(k).is(")"); k++) {
                if (group[k] != group[i]) {
                    continue; // inside a derived table or subquery: its own FROM is counted on its own
                }
                if (t.get(k).kind() == Kind.IDENT && AFTER_FROM_LIST.contains(t.get(k).name())) {
                    break;
                }
                if (t.get(k).is(",") || word(k, "JOIN")) {
                    tables++;
                }
            }
            if (tables > MAX_JOINED_TABLES_IN_WRITE) {
                throw new Rejected(GuardCodes.ROW_ORDER, "the FROM clause at " + where(t.get(i).start()) + " joins "
                        + tables + " tables; in a write at most " + MAX_JOINED_TABLES_IN_WRITE + " may be joined in one "
                        + "query block, because H2 picks the join order of larger joins within a time budget, which "
                        + "may differ between replicas. Join fewer tables per block (e.g. through a derived table)");
            }
        }
    }

    private void scan() throws Rejected {
        boolean write = mode == Mode.WRITE;
        if (write) {
            checkJoinWidth();
        }
        for (int i = 0; i < n; i++) {
            Token tk = t.get(i);
            if (tk.is("@")) {
                throw new Rejected(GuardCodes.FORBIDDEN, "user variable '@' at " + where(tk.start()) + " is state of the "
                        + "server session; pass the value as a statement parameter");
            }
            if (!tk.isIdentifier()) {
                continue;
            }
            String up = tk.upperName();
            if (write && RESERVED_SCHEMAS.contains(up)) {
                throw new Rejected(GuardCodes.RESERVED_SCHEMA, up + " at " + where(tk.start()) + " is reserved: "
                        + (up.equals("INFORMATION_SCHEMA") ? "its content describes one replica's server"
                        : "it holds LockstepDB's own bookkeeping") + "; writes may not reference it");
            }
            boolean afterDot = i > 0 && t.get(i - 1).is(".");
            if (write && afterDot && tk.kind() == Kind.IDENT && up.equals("_ROWID_")) {
                // t._ROWID_ is H2's hidden row id: a replica rebuilt from a snapshot numbers the rows anew
                examined.set(i);
                throw new Rejected(GuardCodes.ROW_ORDER, "_ROWID_ at " + where(tk.start()) + " is H2's hidden row id, "
                        + "which differs between replicas (a replica rebuilt from a snapshot numbers rows anew); "
                        + "give the table a primary key and use it");
            }
            if (write && kind.isDdl() && tk.kind() == Kind.IDENT && up.equals("SELECTIVITY")) {
                throw forbidden(i, "SELECTIVITY", "sets the column statistics that decide H2's plans, and so the row "
                        + "order of later writes; replicas keep H2's default statistics");
            }
            boolean call = i + 1 < n && t.get(i + 1).is("(");
            if (tk.kind() == Kind.IDENT && !afterDot) {
                int next = keyword(i, up);
                if (next >= 0) {
                    i = next;
                    continue;
                }
            }
            if (call) {
                i = call(i, up);
            }
        }
    }

    /** Unquoted H2 keywords with meaning; returns the last token consumed, or -1 if {@code up} is none of them. */
    private int keyword(int i, String up) throws Rejected {
        TimeFunction time = FunctionPolicy.NILADIC_TIME.get(up);
        if (time != null) {
            int last = i;
            int precision = -1;
            if (i + 1 < n && t.get(i + 1).is("(")) {
                last = match[i + 1];
                if (last == i + 3 && t.get(i + 2).kind() == Kind.NUMBER) {
                    precision = precision(i + 2);
                } else if (last != i + 2) {
                    throw new Rejected(GuardCodes.NOT_UNDERSTOOD, up + " at " + where(t.get(i).start())
                            + " takes an integer literal precision only");
                }
            }
            examined.set(i);
            time(i, last, time, precision, up);
            return last;
        }
        if (FunctionPolicy.NILADIC_SESSION.contains(up)) {
            examined.set(i);
            throw new Rejected(GuardCodes.FORBIDDEN, up + " at " + where(t.get(i).start()) + " reads the server session, "
                    + "which is not the client's; pass the value as a statement parameter");
        }
        switch (up) {
            case "ROWNUM", "_ROWID_":
                examined.set(i);
                if (mode == Mode.WRITE) {
                    throw new Rejected(GuardCodes.ROW_ORDER, up + " at " + where(t.get(i).start()) + " depends on the "
                            + "physical row order; use ROW_NUMBER() OVER (ORDER BY <unique key>) or the key itself");
                }
                return i;
            case "NEXT":
                if (word(i + 1, "VALUE") && word(i + 2, "FOR")) {
                    examined.set(i);
                    sequenceNext(i, "NEXT VALUE FOR");
                    return i + 2;
                }
                return -1;
            case "CURRENT":
                if (word(i + 1, "VALUE") && word(i + 2, "FOR")) {
                    examined.set(i);
                    throw sequenceCurrent(i, "CURRENT VALUE FOR");
                }
                return -1;
            case "FOR":
                if (word(i + 1, "UPDATE")) {
                    throw new Rejected(GuardCodes.WRONG_CLASS, "FOR UPDATE at " + where(t.get(i).start()) + " is not "
                            + "supported: reads take no locks in LockstepDB and every write is applied in log order; "
                            + "do the read-modify-write in one UPDATE (or one batch, which is applied atomically)");
                }
                return -1;
            case "LIMIT", "OFFSET":
                rowLimit(i, up);
                return -1;
            case "FETCH":
                if (word(i + 1, "FIRST") || word(i + 1, "NEXT")) {
                    rowLimit(i, "FETCH");
                }
                return -1;
            case "TOP":
                if (i > 0 && (word(i - 1, "SELECT") || word(i - 1, "DISTINCT") || word(i - 1, "ALL"))) {
                    rowLimit(i, "TOP");
                }
                return -1;
            default:
                return -1;
        }
    }

    private int precision(int numberToken) throws Rejected {
        String text = t.get(numberToken).name();
        if (text.length() == 1 && Character.isDigit(text.charAt(0))) {
            return text.charAt(0) - '0';
        }
        throw new Rejected(GuardCodes.NOT_UNDERSTOOD, "precision " + text + " at " + where(t.get(numberToken).start())
                + " must be 0 to 9");
    }

    private int call(int i, String up) throws Rejected {
        Token tk = t.get(i);
        int open = i + 1;
        int close = match[open];
        int chainStart = i;
        while (chainStart >= 2 && t.get(chainStart - 1).is(".") && t.get(chainStart - 2).isIdentifier()) {
            chainStart -= 2;
        }
        Entry entry = FunctionPolicy.lookup(up);
        if (entry != null && entry.rule() == Rule.FORBIDDEN) {
            examined.set(i);
            throw new Rejected(GuardCodes.FORBIDDEN, up + "() at " + where(tk.start()) + " is forbidden: it "
                    + entry.reason() + ". A statement must not depend on which replica runs it; pass such data as"
                    + " parameters of an INSERT instead");
        }
        if (isNameContext(chainStart, close)) {
            return i;
        }
        if (chainStart != i) {
            examined.set(i);
            throw new Rejected(GuardCodes.UNKNOWN_FUNCTION, "function " + sql.substring(t.get(chainStart).start(), tk.end())
                    + "() at " + where(t.get(chainStart).start()) + " is not allowed: only H2's built-in functions "
                    + "are available in LockstepDB");
        }
        if (entry == null) {
            if (tk.kind() == Kind.IDENT && (FunctionPolicy.STRUCTURAL.contains(up) || FunctionPolicy.TYPE_NAMES.contains(up))) {
                return i;
            }
            examined.set(i);
            throw new Rejected(GuardCodes.UNKNOWN_FUNCTION, "unknown function " + displayName(tk) + "() at "
                    + where(tk.start()) + ": LockstepDB allows only H2 built-in functions it knows to be deterministic "
                    + "(see docs/SQL.md)");
        }
        examined.set(i);
        boolean write = mode == Mode.WRITE;
        boolean ddl = kind.isDdl();
        switch (entry.rule()) {
            case ALLOW:
                if (write && FunctionPolicy.FIELD_FUNCTIONS.contains(up) && open + 1 < close) {
                    Token field = t.get(open + 1);
                    String f = field.kind() == Kind.STRING ? field.name().toUpperCase(Locale.ROOT) : field.name();
                    if ((field.kind() == Kind.IDENT || field.kind() == Kind.STRING) && FunctionPolicy.LOCALE_FIELDS.contains(f)) {
                        throw nondeterministic(i, up + "(" + f + " …)", "the " + f + " field follows the replica JVM's "
                                + "locale (first day of the week)", "use ISO_WEEK, ISO_DAY_OF_WEEK or ISO_YEAR fields");
                    }
                }
                return i;
            case REPLICA_SEEDED:
                if (write && ddl) {
                    throw nondeterministic(i, up + "()", "is random", null);
                }
                seededRandom |= write;
                return i;
            case TIME: {
                TimeFunction fn = switch (up) {
                    case "NOW" -> TimeFunction.LOCALTIMESTAMP;
                    case "CURDATE", "TODAY" -> TimeFunction.CURRENT_DATE;
                    case "CURTIME" -> TimeFunction.LOCALTIME;
                    case "SYSDATE" -> TimeFunction.SYSDATE;
                    default -> TimeFunction.SYSTIMESTAMP;
                };
                int precision = -1;
                if (close == open + 2 && t.get(open + 1).kind() == Kind.NUMBER && fn.defaultPrecision >= 0
                        && !up.equals("SYSDATE") && !up.equals("TODAY") && !up.equals("CURDATE")) {
                    precision = precision(open + 1);
                } else if (close != open + 1) {
                    throw new Rejected(GuardCodes.NOT_UNDERSTOOD, displayName(tk) + "(…) at " + where(tk.start())
                            + " has arguments the guard does not understand");
                }
                time(i, close, fn, precision, displayName(tk) + "()");
                return close;
            }
            case WRITE_DENIED:
                if (write) {
                    throw nondeterministic(i, up + "()", entry.reason(), "compute the value in a read and pass it as "
                            + "a parameter");
                }
                return i;
            case NEEDS_LOCALE:
                if (write && arguments(open) < 3) {
                    throw nondeterministic(i, up + "()", entry.reason(), "pass the locale (and time zone), e.g. "
                            + up + "(value, 'yyyy-MM-dd', 'en', 'UTC')");
                }
                return i;
            case NONDETERMINISTIC:
                if (write) {
                    throw nondeterministic(i, up + "()", entry.reason(), up.equals("SECURE_RAND")
                            ? "use RAND() or RANDOM_UUID() (replayed from the log) or generate the value in the client"
                            : "generate the value in the client and pass it as a parameter");
                }
                return i;
            case SEQUENCE_NEXT:
                sequenceNext(i, up + "()");
                return i;
            case SEQUENCE_CURRENT:
                throw sequenceCurrent(i, up + "()");
            case ROW_ORDER:
                if (write) {
                    throw new Rejected(GuardCodes.ROW_ORDER, up + "() at " + where(tk.start()) + " " + entry.reason()
                            + ", which may differ between replicas; use MIN/MAX or ROW_NUMBER() OVER (ORDER BY <key>)");
                }
                return i;
            case NEEDS_ORDER_BY:
                if (write && !ordered(open, close)) {
                    throw new Rejected(GuardCodes.ROW_ORDER, up + "() at " + where(tk.start()) + " " + entry.reason()
                            + "; add ORDER BY on a unique key (inside the call, WITHIN GROUP or OVER)");
                }
                return i;
            default:
                throw new IllegalStateException(entry.rule().toString());
        }
    }

    private static String displayName(Token tk) {
        return tk.kind() == Kind.QUOTED_IDENT ? "\"" + tk.name() + "\"" : tk.name();
    }

    /** A name followed by {@code (} that H2 reads as a table, view or column list, not a call. */
    private boolean isNameContext(int chainStart, int close) {
        if (chainStart > 0) {
            Token prev = t.get(chainStart - 1);
            if (prev.kind() == Kind.IDENT) {
                switch (prev.name()) {
                    case "INTO", "TABLE", "VIEW", "EXISTS", "REFERENCES":
                        return true;
                    case "ON":
                        if (kind == StatementKind.CREATE_INDEX) {
                            return true;
                        }
                        break;
                    default:
                        break;
                }
            }
        }
        // WITH name(a, b) AS (…): a column list of a common table expression
        return close + 2 < n && word(close + 1, "AS") && t.get(close + 2).is("(")
                && (chainStart > 0 && (word(chainStart - 1, "WITH") || word(chainStart - 1, "RECURSIVE")
                || t.get(chainStart - 1).is(",")));
    }

    private int arguments(int open) {
        int close = match[open];
        if (close == open + 1) {
            return 0;
        }
        int count = 1;
        for (int k = open + 1; k < close; k++) {
            if (group[k] == open && t.get(k).is(",")) {
                count++;
            }
        }
        return count;
    }

    /** ORDER BY inside the call, or in a following WITHIN GROUP (…) or OVER (…). */
    private boolean ordered(int open, int close) {
        if (groupsWithOrderBy.get(open + 1)) {
            return true;
        }
        int k = close + 1;
        while (k < n && (word(k, "RESPECT") || word(k, "IGNORE") || word(k, "NULLS") || word(k, "FROM")
                || word(k, "FIRST") || word(k, "LAST"))) {
            k++;
        }
        if (word(k, "WITHIN") && word(k + 1, "GROUP") && k + 2 < n && t.get(k + 2).is("(")) {
            if (groupsWithOrderBy.get(k + 2 + 1)) {
                return true;
            }
            k = match[k + 2] + 1;
        }
        if (word(k, "FILTER") && k + 1 < n && t.get(k + 1).is("(")) {
            k = match[k + 1] + 1;
        }
        return word(k, "OVER") && k + 1 < n && t.get(k + 1).is("(") && groupsWithOrderBy.get(k + 1 + 1);
    }

    private void time(int i, int last, TimeFunction fn, int precision, String what) throws Rejected {
        if (mode == Mode.READ) {
            return;
        }
        if (kind.isDdl()) {
            throw nondeterministic(i, what, "reads the clock", null);
        }
        splices.add(new Plan.Splice(t.get(i).start(), t.get(last).end(), fn, precision));
    }

    private void sequenceNext(int i, String what) throws Rejected {
        if (mode == Mode.READ) {
            throw new Rejected(GuardCodes.WRONG_CLASS, what + " at " + where(t.get(i).start()) + " advances a sequence: "
                    + "a read must not change a replica's state; draw sequence values in a write (INSERT … VALUES "
                    + "(NEXT VALUE FOR seq) …)");
        }
        if (kind == StatementKind.CREATE_VIEW) {
            throw nondeterministic(i, what, "advances a sequence on every read of the view", null);
        }
    }

    private Rejected sequenceCurrent(int i, String what) {
        return new Rejected(GuardCodes.NONDETERMINISTIC, what + " at " + where(t.get(i).start()) + " returns the value "
                + "last generated in the server session, not the client's; use the key returned by the INSERT "
                + "(generated keys) or read the sequence's current value from INFORMATION_SCHEMA.SEQUENCES in a read");
    }

    private void rowLimit(int i, String what) throws Rejected {
        if (mode == Mode.READ) {
            return;
        }
        if ((kind == StatementKind.UPDATE || kind == StatementKind.DELETE) && group[i] == -1) {
            throw new Rejected(GuardCodes.ROW_ORDER, kind + " … " + what + " at " + where(t.get(i).start()) + " picks "
                    + "rows by their physical order, which may differ between replicas; select the rows by key: "
                    + "WHERE id IN (SELECT id FROM … WHERE … ORDER BY id FETCH FIRST n ROWS ONLY)");
        }
        if (!groupsWithOrderBy.get(group[i] + 1)) {
            throw new Rejected(GuardCodes.ROW_ORDER, what + " without ORDER BY at " + where(t.get(i).start())
                    + " picks rows by their physical order, which may differ between replicas; add ORDER BY on a "
                    + "unique key");
        }
    }

    private Rejected nondeterministic(int i, String what, String reason, String advice) {
        String at = what + " at " + where(t.get(i).start());
        if (kind.isDdl()) {
            String context = ddlContext(i);
            String fix = switch (context) {
                case "a view definition" -> "compute it in the query that reads the view (reads may use it)";
                case "CREATE TABLE … AS" -> "create the table, then fill it with INSERT … SELECT (a write, where "
                        + "current-time functions are replaced by the log entry's time)";
                case "a CHECK constraint", "a domain CHECK constraint" -> "compare with a literal or parameter in "
                        + "your statements instead";
                default -> "supply the value explicitly in the INSERT or UPDATE";
            };
            return new Rejected(GuardCodes.NONDETERMINISTIC_DDL, at + " in " + context + " " + reason
                    + " and would give each replica a different value; " + fix);
        }
        return new Rejected(GuardCodes.NONDETERMINISTIC, at + " " + reason + " and would give each replica a different "
                + "value; " + (advice == null ? "pass the value as a parameter" : advice));
    }

    private String ddlContext(int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (word(k, "DEFAULT")) {
                return kind == StatementKind.CREATE_DOMAIN ? "a domain DEFAULT" : "a column DEFAULT";
            }
            if (word(k, "UPDATE") && k > 0 && word(k - 1, "ON")) {
                return "an ON UPDATE clause";
            }
            if (word(k, "CHECK")) {
                return kind == StatementKind.CREATE_DOMAIN ? "a domain CHECK constraint" : "a CHECK constraint";
            }
            if (word(k, "GENERATED") || (word(k, "AS") && k + 1 < n && t.get(k + 1).is("(")
                    && kind != StatementKind.CREATE_VIEW)) {
                return "a generated column";
            }
        }
        return switch (kind) {
            case CREATE_VIEW -> "a view definition";
            case CREATE_TABLE -> "CREATE TABLE … AS";
            default -> "a schema change";
        };
    }

    private Rejected transactionControl(int i) {
        return new Rejected(GuardCodes.TRANSACTION_CONTROL, t.get(i).name() + " at " + where(t.get(i).start())
                + " is transaction control, which LockstepDB does not take as SQL; every statement is applied"
                + " atomically on its own, and a JDBC batch (executeBatch) is applied atomically as one log entry");
    }

    private Rejected forbidden(int i, String what, String reason) {
        return new Rejected(GuardCodes.FORBIDDEN, what + " at " + where(t.get(i).start()) + " is forbidden: it "
                + reason);
    }

    private Rejected notUnderstood(int i) {
        String head = sql.substring(t.get(i).start(), Math.min(sql.length(), t.get(i).start() + 40)).strip();
        return new Rejected(GuardCodes.NOT_UNDERSTOOD, "the guard does not know this statement form (\"" + head
                + "\" at " + where(t.get(i).start()) + "); supported: INSERT, UPDATE, DELETE, MERGE, CREATE/ALTER/DROP "
                + "TABLE, INDEX, SEQUENCE, VIEW, SCHEMA, DOMAIN, TRUNCATE TABLE, COMMENT ON (writes) and queries (reads)");
    }

    private String where(int offset) {
        return Positions.describe(sql, offset);
    }
}
