package org.lockstepdb.protocol.sql;

/**
 * What the {@link StatementClassifier} found a statement text to be: an accepted {@link #kind()} or a
 * {@link #refusal()}, exactly one of the two. Immutable.
 *
 * @param lexed     the text's tokens and comments as lexed (also for a refused text)
 * @param tokens    the statement's tokens and structure; null if the text was refused before they could be
 *                  built (lexical error, several statements, unbalanced, over the limits)
 * @param kind      null if refused
 * @param refusal   null if accepted
 * @param explainAt index of the EXPLAIN token the classification went through, or -1: a write path refuses
 *                  EXPLAIN whatever it explains
 * @param coarse    the coarse kind, also for a refused statement (see {@link SqlKind})
 * @param firstWord the statement's first word in upper case (after opening parentheses), "" if none
 */
public record Classification(SqlLexer.Lexed lexed, StatementTokens tokens, StatementKind kind, SqlRefusal refusal, int explainAt,
        SqlKind coarse, String firstWord) {
    public Classification {
        if ((kind == null) == (refusal == null)) {
            throw new IllegalArgumentException("exactly one of kind and refusal must be set");
        }
    }

    /**
     * Whether the statement is a query that only reads ({@link SqlKind#QUERY}): the driver sends it down the read
     * path, everything else (also a {@link StatementKind#WRITING_QUERY query that writes}) as a write. A refused text goes by its coarse kind ({@code SHOW} reads as a query), so the refusal the
     * user gets is the one of the path the statement asked for.
     */
    public boolean isQuery() {
        return coarse == SqlKind.QUERY;
    }

    /**
     * Whether the statement answers with a result set ({@code executeQuery} may run it, {@code executeUpdate} and
     * batches refuse it, as H2's own driver does): a query, or a {@link StatementKind#WRITING_QUERY query that
     * writes}, which goes the write path ({@link #isQuery()} is false) and brings its rows back from the log. A
     * refused text goes by its coarse kind.
     */
    public boolean returnsRows() {
        return kind != null ? kind.returnsRows() : coarse == SqlKind.QUERY;
    }

    /** Whether H2 treats it as DDL (committed at once), also for a refused statement ({@link SqlKind#DDL}). */
    public boolean isDdl() {
        return coarse == SqlKind.DDL;
    }

    /**
     * Whether the statement is a query that draws sequence values ({@code SELECT NEXT VALUE FOR s}): inside an
     * interactive transaction the driver sends it on its own through the log (a sequence advance is not undone
     * by a rollback, in H2 as in PostgreSQL), not as part of the transaction.
     */
    public boolean drawsSequence() {
        return kind == StatementKind.WRITING_QUERY && WritingQueries.drawsSequence(tokens);
    }

    /**
     * Whether the statement is a query that reads H2's catalog ({@code INFORMATION_SCHEMA}): inside an interactive
     * transaction the driver runs it as a query of its own, outside the transaction's script (its content, such as
     * row-count estimates and sessions, describes one replica, so the commit could not validate it alike everywhere).
     */
    public boolean readsCatalog() {
        if (!isQuery()) {
            return false;
        }
        for (SqlToken t : lexed.tokens()) {
            if (t.isIdentifier() && t.upperName().equals("INFORMATION_SCHEMA")) {
                return true;
            }
        }
        return false;
    }
}
