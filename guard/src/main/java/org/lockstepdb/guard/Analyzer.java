package org.lockstepdb.guard;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.lockstepdb.guard.FunctionPolicy.Entry;
import org.lockstepdb.guard.FunctionPolicy.Rule;
import org.lockstepdb.protocol.sql.Classification;
import org.lockstepdb.protocol.sql.SeededDefaults;
import org.lockstepdb.protocol.sql.SqlRefusal;
import org.lockstepdb.protocol.sql.SqlToken;
import org.lockstepdb.protocol.sql.SqlToken.Kind;
import org.lockstepdb.protocol.sql.StatementClassifier;
import org.lockstepdb.protocol.sql.StatementKind;
import org.lockstepdb.protocol.sql.StatementTokens;

/**
 * Checks one statement text for a path (read or write). The statement's kind comes from the one
 * {@link StatementClassifier} (on H2's exact tokens, {@link org.lockstepdb.protocol.sql.SqlLexer}); the token
 * rules here then run on every statement, and for DML and queries {@link CalciteCheck} parses the text with
 * Calcite and cross-checks the tree against these tokens. One instance per analysis; not thread-safe, not reused.
 */
final class Analyzer {
    /**
     * The path a statement came by. TRANSACTION: an operation of an interactive transaction (a query or DML, run
     * speculatively on one replica and again at the commit on every replica): the rules of a write (time
     * functions become literals of the transaction's stamp, row order must be fixed) except that a query is
     * accepted, also with FOR UPDATE (the commit validates what it read; it locks nothing).
     */
    enum Mode { WRITE, READ, TRANSACTION }

    /** Schemas a write may not name: LockstepDB's own (bookkeeping, deterministic functions) and H2's catalog. */
    private static final java.util.Set<String> RESERVED_SCHEMAS = java.util.Set.of("LOCKSTEP_SYS", "LOCKSTEP_FN",
            "INFORMATION_SCHEMA");

    private final String sql;
    private final Mode mode;
    private final StatementTokens t;
    private final int n;
    /** Tokens the scan recognised as function calls or function keywords (for the Calcite cross-check). */
    final BitSet examined = new BitSet();
    final StatementKind kind;
    private final List<Plan.Splice> splices = new ArrayList<>(2);
    /** RAND/UUID the replicas seed, or a clock read in a DEFAULT the replicas pin to the entry's stamp. */
    private boolean computedOnReplicas;

    private Analyzer(StatementTokens tokens, Mode mode, StatementKind kind) {
        this.sql = tokens.sql();
        this.t = tokens;
        this.n = tokens.count();
        this.mode = mode;
        this.kind = kind;
    }

    static Plan analyze(String sql, Mode mode, boolean useCalcite) {
        String path = "tokens";
        StatementKind kind = null;
        try {
            if (sql.length() > StatementGuard.MAX_SQL_CHARS) {
                throw new Rejected(GuardCodes.TOO_LONG, "the statement is " + sql.length() + " characters long; the "
                        + "limit is " + StatementGuard.MAX_SQL_CHARS + ": send large data as parameters or split the "
                        + "statement");
            }
            Classification c = StatementClassifier.classify(sql);
            kind = PathCheck.kindFor(c, mode);
            Analyzer a = new Analyzer(c.tokens(), mode, kind);
            a.scan();
            PathCheck.refuseWritingRead(kind, mode);
            if (useCalcite && !kind.isDdl()) {
                if (CalciteCheck.checkOrReject(sql, a.t.comments(), a.t.tokens(), a.n, a.examined, kind)) {
                    path = "calcite+tokens";
                }
            }
            String classification = !a.splices.isEmpty() ? "rewritten"
                    : a.computedOnReplicas ? "deterministic-on-replicas" : "deterministic";
            return new Plan(null, kind, List.copyOf(a.splices), classification, path);
        } catch (SqlRefusal r) {
            return Plan.rejected(GuardCodes.reply(r.sqlState(), r.getMessage()), path);
        } catch (StackOverflowError e) {
            // Calcite reads nesting recursively too (e.g. thousands of NOTs): refuse on the leader, never log it
            return Plan.rejected(GuardCodes.reply(GuardCodes.TOO_COMPLEX, "the statement is nested too deeply to be "
                    + "checked (NOT NOT …, CASE in CASE, ARRAY[ARRAY[…]], casts of casts); flatten it"), path);
        }
    }

    private boolean word(int i, String w) {
        return t.word(i, w);
    }

    // ------------------------------------------------------------------------------------------------ scan

    private void scan() throws SqlRefusal {
        boolean write = mode != Mode.READ;
        if (write) {
            JoinWidth.check(t);
        }
        for (int i = 0; i < n; i++) {
            SqlToken tk = t.get(i);
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
    private int keyword(int i, String up) throws SqlRefusal {
        TimeFunction time = FunctionPolicy.NILADIC_TIME.get(up);
        if (time != null) {
            int last = i;
            int precision = -1;
            if (i + 1 < n && t.get(i + 1).is("(")) {
                last = t.match(i + 1);
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
        boolean emptyCall = i + 2 < n && t.get(i + 1).is("(") && t.get(i + 2).is(")");
        SessionFunction session = SessionFunction.of(up, emptyCall);
        if (session != null) {
            examined.set(i);
            int last = emptyCall ? i + 2 : i; // H2 accepts each with and without ()
            sessionValue(i, last, session, up);
            return last;
        }
        if (up.equals("CURRENT_CATALOG")) {
            examined.set(i); // the database's name: the same fixed name on every replica
            return emptyCall ? i + 2 : i;
        }
        if (FunctionPolicy.NILADIC_SESSION.contains(up)) {
            examined.set(i);
            throw new Rejected(GuardCodes.FORBIDDEN, up + " at " + where(t.get(i).start()) + " reads the server session, "
                    + "which is not the client's; pass the value as a statement parameter");
        }
        switch (up) {
            case "ROWNUM", "_ROWID_":
                examined.set(i);
                if (mode != Mode.READ) {
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
                if (word(i + 1, "UPDATE") && mode != Mode.TRANSACTION) {
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

    private int precision(int numberToken) throws SqlRefusal {
        String text = t.get(numberToken).name();
        if (text.length() == 1 && Character.isDigit(text.charAt(0))) {
            return text.charAt(0) - '0';
        }
        throw new Rejected(GuardCodes.NOT_UNDERSTOOD, "precision " + text + " at " + where(t.get(numberToken).start())
                + " must be 0 to 9");
    }

    private int call(int i, String up) throws SqlRefusal {
        SqlToken tk = t.get(i);
        int open = i + 1;
        int close = t.match(open);
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
        boolean write = mode != Mode.READ;
        boolean ddl = kind.isDdl();
        switch (entry.rule()) {
            case ALLOW:
                if (write && FunctionPolicy.FIELD_FUNCTIONS.contains(up) && open + 1 < close) {
                    SqlToken field = t.get(open + 1);
                    String f = field.kind() == Kind.STRING ? field.name().toUpperCase(Locale.ROOT) : field.name();
                    if ((field.kind() == Kind.IDENT || field.kind() == Kind.STRING) && FunctionPolicy.LOCALE_FIELDS.contains(f)) {
                        throw nondeterministic(i, up + "(" + f + " …)", "the " + f + " field follows the replica JVM's "
                                + "locale (first day of the week)", "use ISO_WEEK, ISO_DAY_OF_WEEK or ISO_YEAR fields");
                    }
                }
                return i;
            case REPLICA_SEEDED:
                if (write && ddl) {
                    String seeded = SeededDefaults.replacing(up);
                    if (seeded == null || close != open + 1 || !DefaultClause.contains(t, kind, i)) {
                        throw nondeterministic(i, up + "()", "is random", null);
                    }
                    // evaluated by later writes on the replicas, from the seeded stream of the write's entry
                    splices.add(Plan.Splice.text(tk.start(), t.get(close).end(), seeded + "()"));
                    return close;
                }
                computedOnReplicas |= write;
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

    private static String displayName(SqlToken tk) {
        return tk.kind() == Kind.QUOTED_IDENT ? "\"" + tk.name() + "\"" : tk.name();
    }

    /** A name followed by {@code (} that H2 reads as a table, view or column list, not a call. */
    private boolean isNameContext(int chainStart, int close) {
        if (chainStart > 0) {
            SqlToken prev = t.get(chainStart - 1);
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
        int close = t.match(open);
        if (close == open + 1) {
            return 0;
        }
        int count = 1;
        for (int k = open + 1; k < close; k++) {
            if (t.group(k) == open && t.get(k).is(",")) {
                count++;
            }
        }
        return count;
    }

    /** ORDER BY inside the call, or in a following WITHIN GROUP (…) or OVER (…). */
    private boolean ordered(int open, int close) {
        if (t.hasOrderBy(open)) {
            return true;
        }
        int k = close + 1;
        while (k < n && (word(k, "RESPECT") || word(k, "IGNORE") || word(k, "NULLS") || word(k, "FROM")
                || word(k, "FIRST") || word(k, "LAST"))) {
            k++;
        }
        if (word(k, "WITHIN") && word(k + 1, "GROUP") && k + 2 < n && t.get(k + 2).is("(")) {
            if (t.hasOrderBy(k + 2)) {
                return true;
            }
            k = t.match(k + 2) + 1;
        }
        if (word(k, "FILTER") && k + 1 < n && t.get(k + 1).is("(")) {
            k = t.match(k + 1) + 1;
        }
        return word(k, "OVER") && k + 1 < n && t.get(k + 1).is("(") && t.hasOrderBy(k + 1);
    }

    private void time(int i, int last, TimeFunction fn, int precision, String what) throws SqlRefusal {
        if (mode == Mode.READ) {
            return;
        }
        if (kind.isDdl() && DefaultClause.contains(t, kind, i)) {
            // a DEFAULT or ON UPDATE runs in a write (a later one, or this DDL filling rows), whose clock every
            // replica pins to that entry's stamp
            computedOnReplicas = true;
            return;
        }
        if (kind.isDdl() && !CreateTableQuery.contains(t, kind, i)) {
            throw nondeterministic(i, what, "reads the clock", null);
        }
        splices.add(Plan.Splice.time(t.get(i).start(), t.get(last).end(), fn, precision));
    }

    /** A session function: the client's value, spliced in reads and writes; DDL would store one connection's value. */
    private void sessionValue(int i, int last, SessionFunction fn, String what) throws SqlRefusal {
        if (mode == Mode.WRITE && kind.isDdl()) {
            throw nondeterministic(i, what, "is the value of the session that runs the statement, and DDL (a default, a "
                    + "view, a constraint) would evaluate it later in the replicas' own sessions", "pass the value as a "
                    + "literal, or set it in each INSERT");
        }
        splices.add(Plan.Splice.session(t.get(i).start(), t.get(last).end(), fn));
    }

    private void sequenceNext(int i, String what) throws SqlRefusal {
        if (mode == Mode.READ) {
            throw new Rejected(GuardCodes.WRONG_CLASS, what + " at " + where(t.get(i).start()) + " advances a sequence: "
                    + "a read must not change a replica's state; draw sequence values in a write (the LockstepDB "
                    + "driver sends SELECT NEXT VALUE FOR seq as one, also from executeQuery)");
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

    private void rowLimit(int i, String what) throws SqlRefusal {
        if (mode == Mode.READ) {
            return;
        }
        if ((kind == StatementKind.UPDATE || kind == StatementKind.DELETE) && t.group(i) == -1) {
            throw new Rejected(GuardCodes.ROW_ORDER, kind + " … " + what + " at " + where(t.get(i).start()) + " picks "
                    + "rows by their physical order, which may differ between replicas; select the rows by key: "
                    + "WHERE id IN (SELECT id FROM … WHERE … ORDER BY id FETCH FIRST n ROWS ONLY)");
        }
        if (!t.hasOrderBy(t.group(i))) {
            throw new Rejected(GuardCodes.ROW_ORDER, what + " without ORDER BY at " + where(t.get(i).start())
                    + " picks rows by their physical order, which may differ between replicas; add ORDER BY on a "
                    + "unique key");
        }
    }

    private Rejected nondeterministic(int i, String what, String reason, String advice) {
        return NondeterminismRefusals.refuse(t, kind, i, what, reason, advice);
    }

    private SqlRefusal forbidden(int i, String what, String reason) {
        return StatementClassifier.forbidden(t, i, what, reason);
    }

    private String where(int offset) {
        return t.where(offset);
    }
}
