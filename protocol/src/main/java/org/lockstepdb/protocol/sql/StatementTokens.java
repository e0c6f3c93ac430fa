package org.lockstepdb.protocol.sql;

import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.lockstepdb.protocol.StatementLimits;
import org.lockstepdb.protocol.sql.SqlToken.Kind;

/**
 * One statement's tokens with their structure: which parenthesis group each token sits in, matching
 * parentheses, and which groups have an ORDER BY. Built only for a text that is exactly one statement, readable
 * by H2's tokenizer, with balanced parentheses and within {@link StatementLimits}; otherwise {@link #of} refuses
 * it. Immutable once built (the arrays are not copied: do not change them).
 */
public final class StatementTokens {
    private final String sql;
    private final List<SqlToken> tokens;
    private final List<int[]> comments;
    private final int count;
    private final int[] group;
    private final int[] match;
    private final BitSet groupsWithOrderBy;

    /** Operators H2 nests recursively without parentheses (binary ones, casts with ::). */
    private static final Set<String> OPERATORS = Set.of("+", "-", "*", "/", "%", "||", "=", "<", ">", "<=", ">=",
            "<>", "!=", "&&", "::");
    /** Words that nest likewise: NOT NOT …, CASE WHEN … THEN CASE …. */
    private static final Set<String> NESTING_WORDS = Set.of("AND", "OR", "NOT", "CASE");

    private StatementTokens(String sql, SqlLexer.Lexed lexed, int count, int[] group, int[] match, BitSet orderBy) {
        this.sql = sql;
        this.tokens = lexed.tokens();
        this.comments = lexed.comments();
        this.count = count;
        this.group = group;
        this.match = match;
        this.groupsWithOrderBy = orderBy;
    }

    /**
     * @throws SqlRefusal {@link SqlRefusal#NOT_UNDERSTOOD} (lexical error, empty, unbalanced parentheses),
     *                    {@link SqlRefusal#MULTI_STATEMENT}, {@link SqlRefusal#TOO_COMPLEX}
     */
    public static StatementTokens of(String sql, SqlLexer.Lexed lexed) throws SqlRefusal {
        if (lexed.error() != null) {
            throw new SqlRefusal(SqlRefusal.NOT_UNDERSTOOD, "cannot read the statement: " + lexed.error().message()
                    + " at " + SqlPositions.describe(sql, lexed.error().offset()) + "; the statement was not run");
        }
        List<SqlToken> t = lexed.tokens();
        int n = t.size();
        if (n > 0 && t.get(n - 1).is(";")) {
            n--;
        }
        for (int i = 0; i < n; i++) {
            if (t.get(i).is(";")) {
                throw new SqlRefusal(SqlRefusal.MULTI_STATEMENT, "more than one statement in one text (';' at "
                        + SqlPositions.describe(sql, t.get(i).start()) + "): H2 would run every part; send each "
                        + "statement separately");
            }
        }
        if (n == 0) {
            throw new SqlRefusal(SqlRefusal.NOT_UNDERSTOOD, "empty statement");
        }
        int[] group = new int[n];
        int[] match = new int[n];
        BitSet orderBy = new BitSet();
        int[] stack = new int[n];
        int top = 0;
        int[] operators = new int[n + 1]; // binary operators per enclosing group (index: open paren + 1)
        int brackets = 0; // ARRAY[ARRAY[…]] nests like parentheses
        for (int i = 0; i < n; i++) {
            SqlToken tk = t.get(i);
            if (tk.is("[") && ++brackets > StatementLimits.MAX_NESTING_DEPTH) {
                throw new SqlRefusal(SqlRefusal.TOO_COMPLEX, "brackets nested more than "
                        + StatementLimits.MAX_NESTING_DEPTH + " deep (at " + SqlPositions.describe(sql, tk.start())
                        + "); flatten the statement");
            } else if (tk.is("]") && brackets > 0) {
                brackets--;
            }
            group[i] = top == 0 ? -1 : stack[top - 1];
            if (isBinaryOperator(tk) && ++operators[group[i] + 1] > StatementLimits.MAX_OPERATOR_CHAIN) {
                throw new SqlRefusal(SqlRefusal.TOO_COMPLEX, "more than " + StatementLimits.MAX_OPERATOR_CHAIN
                        + " operators (+ - * / % || ::, comparisons, AND, OR, NOT, CASE) in one expression level (at "
                        + SqlPositions.describe(sql, tk.start()) + "); use IN (…) for long lists of alternatives, or "
                        + "split the statement");
            }
            if (tk.is("(")) {
                if (top == StatementLimits.MAX_NESTING_DEPTH) {
                    throw new SqlRefusal(SqlRefusal.TOO_COMPLEX, "parentheses nested more than "
                            + StatementLimits.MAX_NESTING_DEPTH + " deep (at " + SqlPositions.describe(sql, tk.start())
                            + "); H2 evaluates nesting recursively, so LockstepDB limits it; flatten the statement");
                }
                stack[top++] = i;
            } else if (tk.is(")")) {
                if (top == 0) {
                    throw new SqlRefusal(SqlRefusal.NOT_UNDERSTOOD, "unbalanced ')' at "
                            + SqlPositions.describe(sql, tk.start()));
                }
                int open = stack[--top];
                match[open] = i;
                match[i] = open;
                group[i] = top == 0 ? -1 : stack[top - 1];
            } else if (tk.is("ORDER") && i + 1 < n && t.get(i + 1).is("BY")) {
                orderBy.set(group[i] + 1);
            }
        }
        if (top != 0) {
            throw new SqlRefusal(SqlRefusal.NOT_UNDERSTOOD, "unbalanced '(' at "
                    + SqlPositions.describe(sql, t.get(stack[top - 1]).start()));
        }
        return new StatementTokens(sql, lexed, n, group, match, orderBy);
    }

    private static boolean isBinaryOperator(SqlToken tk) {
        return tk.kind() == Kind.IDENT ? NESTING_WORDS.contains(tk.name())
                : tk.kind() == Kind.PUNCT && OPERATORS.contains(tk.name());
    }

    /** The statement text. */
    public String sql() {
        return sql;
    }

    /** All tokens, including a trailing {@code ;} (which {@link #count()} leaves out). */
    public List<SqlToken> tokens() {
        return tokens;
    }

    /** {@code [start, end)} ranges of the comments. */
    public List<int[]> comments() {
        return comments;
    }

    /** Number of tokens of the statement (without a trailing {@code ;}); at least 1. */
    public int count() {
        return count;
    }

    public SqlToken get(int i) {
        return tokens.get(i);
    }

    /** Whether token {@code i} exists and is the unquoted word {@code w} (upper case). */
    public boolean word(int i, String w) {
        return i < count && tokens.get(i).kind() == Kind.IDENT && tokens.get(i).name().equals(w);
    }

    /** Index of the {@code (} enclosing token {@code i}, or -1 at the top level. */
    public int group(int i) {
        return group[i];
    }

    /** Index of the parenthesis matching the one at {@code i}. */
    public int match(int i) {
        return match[i];
    }

    /** Whether the group opened at {@code open} (-1: the top level) has an ORDER BY directly in it. */
    public boolean hasOrderBy(int open) {
        return groupsWithOrderBy.get(open + 1);
    }

    /** {@code "line L, column C"} of an offset in the text. */
    public String where(int offset) {
        return SqlPositions.describe(sql, offset);
    }
}
