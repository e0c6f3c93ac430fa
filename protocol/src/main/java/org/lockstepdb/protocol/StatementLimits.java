package org.lockstepdb.protocol;

/**
 * Structural limits on one SQL statement of a write, checked on the leader (by the determinism guard) and again
 * on every replica before H2 runs it.
 *
 * <p>Why: H2 parses and evaluates nested expressions recursively. Measured with H2 2.5.252, about 400 nested
 * parentheses or 4,000 chained binary operators overflow a 512 KiB thread stack, and a StackOverflowError is
 * not an SQL error: how deep a thread can recurse depends on its stack size and on which methods the JIT has
 * compiled, so replicas could disagree about the same statement, or all stop at the same log entry. The limits
 * sit far below that, so no statement that passes them overflows a replica's apply thread.
 */
public final class StatementLimits {
    /** Deepest nesting of parentheses (subqueries, calls, grouped expressions) in one statement. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Most binary operators (+ - * / % ||, AND, OR, comparisons) at one nesting level of one statement. */
    public static final int MAX_OPERATOR_CHAIN = 1000;
    /** SQLState of a statement over these limits: class 54 (program limit exceeded), subclass LockstepDB's. */
    public static final String TOO_COMPLEX_SQLSTATE = "54L02";

    private StatementLimits() {
    }
}
