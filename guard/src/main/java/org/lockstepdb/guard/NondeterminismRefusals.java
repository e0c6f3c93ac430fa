package org.lockstepdb.guard;

import org.lockstepdb.protocol.sql.StatementKind;
import org.lockstepdb.protocol.sql.StatementTokens;

/**
 * The refusal of a value that would differ between replicas, worded for where it sits: in DDL (a CHECK, a view,
 * a DEFAULT that is neither a clock read nor an argument-less RAND/UUID ({@link DefaultClause}), …:
 * {@link GuardCodes#NONDETERMINISTIC_DDL}) the fix is another place for the expression; in DML
 * ({@link GuardCodes#NONDETERMINISTIC}) it is a parameter.
 */
final class NondeterminismRefusals {
    private NondeterminismRefusals() {
    }

    /**
     * @param i      index of the offending token
     * @param what   how to name it ({@code RAND()}, {@code CURRENT_TIMESTAMP})
     * @param reason why it differs ("reads the clock")
     * @param advice the fix in DML, or null for "pass the value as a parameter"
     */
    static Rejected refuse(StatementTokens t, StatementKind kind, int i, String what, String reason, String advice) {
        String at = what + " at " + t.where(t.get(i).start());
        if (kind.isDdl()) {
            String context = ddlContext(t, kind, i);
            String fix = switch (context) {
                case "a view definition" -> "compute it in the query that reads the view (reads may use it)";
                case "CREATE TABLE … AS" -> "create the table, then fill it with INSERT … SELECT (a write, where "
                        + "current-time functions are replaced by the log entry's time)";
                case "a CHECK constraint", "a domain CHECK constraint" -> "compare with a literal or parameter in "
                        + "your statements instead";
                case "a column DEFAULT", "a domain DEFAULT", "an ON UPDATE clause" -> "use CURRENT_TIMESTAMP, RAND() or "
                        + "RANDOM_UUID() without arguments there (computed from the log entry of each write), or "
                        + "supply the value explicitly in the INSERT or UPDATE";
                default -> "supply the value explicitly in the INSERT or UPDATE";
            };
            return new Rejected(GuardCodes.NONDETERMINISTIC_DDL, at + " in " + context + " " + reason
                    + " and would give each replica a different value; " + fix);
        }
        return new Rejected(GuardCodes.NONDETERMINISTIC, at + " " + reason + " and would give each replica a different "
                + "value; " + (advice == null ? "pass the value as a parameter" : advice));
    }

    private static String ddlContext(StatementTokens t, StatementKind kind, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (t.word(k, "DEFAULT")) {
                return kind == StatementKind.CREATE_DOMAIN ? "a domain DEFAULT" : "a column DEFAULT";
            }
            if (t.word(k, "UPDATE") && k > 0 && t.word(k - 1, "ON")) {
                return "an ON UPDATE clause";
            }
            if (t.word(k, "SELECT") && kind == StatementKind.CREATE_TABLE) {
                return "CREATE TABLE … AS";
            }
            if (t.word(k, "CHECK")) {
                return kind == StatementKind.CREATE_DOMAIN ? "a domain CHECK constraint" : "a CHECK constraint";
            }
            if (t.word(k, "GENERATED") || (t.word(k, "AS") && k + 1 < t.count() && t.get(k + 1).is("(")
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
}
