package org.lockstepdb.storage;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.StatementLimits;
import org.lockstepdb.protocol.sql.Classification;
import org.lockstepdb.protocol.sql.DdlAlone;
import org.lockstepdb.protocol.sql.SeededDefaults;
import org.lockstepdb.protocol.sql.SqlToken;
import org.lockstepdb.protocol.sql.SqlKind;
import org.lockstepdb.protocol.sql.StatementKind;

/**
 * Refuses log entries the store cannot apply atomically and deterministically, before anything runs. The
 * server validates statements before they reach the log; this is the last line, so that a bad entry that got
 * through is still rejected the same way on every replica. It reads each statement's coarse kind
 * ({@link SqlKind}) from the one classifier, which also names what LockstepDB refuses (a CREATE ALIAS is DDL).
 */
final class WriteGuard {
    static final String FEATURE_NOT_SUPPORTED = StoreSqlStates.FEATURE_NOT_SUPPORTED;
    /** The determinism guard's SQLStates for the same refusals, so a client sees one code whichever layer refused. */
    static final String FORBIDDEN = StoreSqlStates.FORBIDDEN;
    static final String RESERVED_SCHEMA = StoreSqlStates.RESERVED_SCHEMA;
    private static final Pattern FORCE_VIEW = Pattern.compile("\\bCREATE\\s+(OR\\s+REPLACE\\s+)?FORCE\\s+VIEW\\b");
    private static final Pattern DROP_ALL_OBJECTS = Pattern.compile("\\bDROP\\s+ALL\\s+OBJECTS\\b");

    private WriteGuard() {
    }

    /** Checks the entry as a whole: H2 commits DDL at once, so DDL is atomic only when it is the whole entry. */
    static Optional<ErrorReply> checkEntry(ClassifiedEntry entry) {
        return DdlAlone.check(entry.entry().statements(), i -> entry.statements().get(i).isDdl());
    }

    /**
     * Checks one statement after H2 prepared it (so a syntax error is reported as such first).
     *
     * <p>Queries that only read are refused rather than run: a query in a write is almost certainly a client
     * mistake. A query that writes ({@link StatementKind#WRITING_QUERY}: it draws sequence values or reads a data
     * change delta table) is a write that returns rows; H2 must read it as a query too. Statements that are neither DML nor DDL (SET, COMMIT, ROLLBACK,
     * SHUTDOWN, BACKUP, RUNSCRIPT, CALL...) are refused because they change session state that replay after a
     * restart would not reproduce, break the entry's atomicity, or touch the host.
     *
     * @param kind    the statement's classification
     * @param isQuery whether H2 parsed the statement as a query
     */
    static Optional<ErrorReply> checkStatement(String sql, Classification kind, boolean isQuery) {
        boolean writingQuery = kind.kind() == StatementKind.WRITING_QUERY;
        if (writingQuery && !isQuery) {
            return Optional.of(new ErrorReply(FEATURE_NOT_SUPPORTED, 0, "The statement reads as a query that writes "
                    + "to LockstepDB but not as a query to H2; it was not run: " + abbreviate(sql)));
        }
        if (isQuery && !writingQuery) {
            return Optional.of(new ErrorReply(FEATURE_NOT_SUPPORTED, 0,
                    "Queries are not writes: send this statement with executeQuery, not as part of a write: " + abbreviate(sql)));
        }
        if (kind.coarse() == SqlKind.OTHER) { // QUERY passes here: H2 said it is none (e.g. WITH ... DELETE)
            return Optional.of(new ErrorReply(FEATURE_NOT_SUPPORTED, 0, "Statement " + kind.firstWord()
                    + " is not allowed in a write: only INSERT, UPDATE, DELETE, MERGE and DDL are replicated"));
        }
        return Optional.empty();
    }

    /**
     * Checks one statement's text before H2 parses it: refuses what H2 could not parse or run without
     * overflowing its stack ({@link StatementLimits}), and what would reach LockstepDB's own schemas or state H2
     * keeps outside the replicated data. The determinism guard refuses all of these on the leader already; this
     * second, independent check runs on every replica so that one mistake in either is not fatal.
     *
     * @param kind the statement's classification (its lexed text is reused)
     */
    static Optional<ErrorReply> checkText(String sql, Classification kind) {
        String code = SqlText.code(sql, kind.lexed());
        String tooComplex = SqlText.overLimits(code);
        if (tooComplex != null) {
            return Optional.of(new ErrorReply(StoreSqlStates.TOO_COMPLEX, 0, "the statement has " + tooComplex
                    + "; H2 evaluates nesting recursively, so LockstepDB limits it: flatten or split the statement"));
        }
        String reserved = SystemSchemas.reservedSchemaNamedIn(code);
        if (reserved != null) {
            return Optional.of(new ErrorReply(RESERVED_SCHEMA, 0, reserved + " is reserved for LockstepDB's own "
                    + "bookkeeping; writes may not reference it"));
        }
        if (kind.isDdl() && (kind.firstWord().equals("ANALYZE")
                || SqlText.containsWord(code, "SELECTIVITY"))) {
            return Optional.of(new ErrorReply(FORBIDDEN, 0, "ANALYZE and SELECTIVITY are not allowed: column "
                    + "statistics decide H2's plans, and so the row order of a write; replicas keep H2's defaults"));
        }
        if (kind.isDdl() && FORCE_VIEW.matcher(code).find()) {
            return Optional.of(new ErrorReply(FORBIDDEN, 0, "CREATE FORCE VIEW is not allowed: H2 may keep such a view "
                    + "invalid until the database is reopened, which differs between replicas"));
        }
        String random = kind.isDdl() ? builtinRandomCall(kind.lexed().tokens()) : null;
        if (random != null) {
            return Optional.of(new ErrorReply(StoreSqlStates.NONDETERMINISTIC_DDL, 0, random + "() in a schema change "
                    + "would call this replica's own generator; the guard writes it in a DEFAULT as "
                    + SeededDefaults.replacing(random) + "() and refuses it elsewhere"));
        }
        if (kind.isDdl() && DROP_ALL_OBJECTS.matcher(code).find()) {
            return Optional.of(new ErrorReply(FORBIDDEN, 0, "DROP ALL OBJECTS would drop LockstepDB's own "
                    + "bookkeeping; drop your tables, views and sequences one by one"));
        }
        return Optional.empty();
    }

    /**
     * The first call of H2's RAND, RANDOM, RANDOM_UUID or UUID in a DDL statement's tokens, or null. Never in a
     * logged entry: the guard rewrites them in a DEFAULT and refuses them elsewhere in DDL. Kept out because the
     * apply session would resolve them to the {@link DeterministicFunctions} aliases named like the built-ins,
     * which H2 cannot re-create when it opens the database: the table holding such a default would be lost.
     */
    static String builtinRandomCall(List<SqlToken> tokens) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            SqlToken t = tokens.get(i);
            boolean name = t.kind() == SqlToken.Kind.IDENT || t.kind() == SqlToken.Kind.QUOTED_IDENT;
            if (name && SeededDefaults.replacing(t.name()) != null && tokens.get(i + 1).is("(")
                    && (i == 0 || NAME_BEFORE_PARENTHESIS.stream().noneMatch(tokens.get(i - 1)::is))) {
                return t.name();
            }
        }
        return null;
    }

    /** Tokens after which {@code name(} is a table, view or column list, or a qualified name, not a call. */
    private static final Set<String> NAME_BEFORE_PARENTHESIS = Set.of("TABLE", "VIEW", "INTO", "EXISTS", "REFERENCES",
            "ON", ".");

    private static String abbreviate(String sql) {
        String s = sql.strip();
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
