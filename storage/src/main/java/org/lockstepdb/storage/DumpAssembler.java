package org.lockstepdb.storage;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.h2.util.ScriptReader;

/**
 * Turns H2 {@code SCRIPT} output into a snapshot payload that holds exactly the pinned state.
 *
 * <p>Why not H2's output as is: {@code SCRIPT} reads rows through the session's MVCC snapshot, but sequence and
 * identity values are not transactional: {@code SCRIPT} prints their current {@code RESTART WITH} value, which
 * may already include inserts applied after the snapshot was pinned. So the schema part ("pinned DDL") is
 * captured with {@code SCRIPT NODATA} on the apply thread at pin time, and the later full script keeps only its
 * data statements; each of its DDL statements is replaced by the pinned one with the same text apart from
 * {@code RESTART WITH} values. Any other difference means the schema changed after the pin, and the export fails.
 *
 * <p>A constraint that owns its index is written with that index under its current name ({@link
 * ConstraintIndexes}): {@code SCRIPT} leaves the index out, and the restore would name it anew.
 *
 * <p>Users, passwords and rights are dropped: the restored store re-creates its own users.
 */
final class DumpAssembler {
    private static final Pattern RESTART = Pattern.compile("RESTART WITH -?\\d+");
    /** Options shared by both runs; SCHEMA restricts them to user schemas (no LOCKSTEP_SYS). */
    static final String SCRIPT_OPTIONS = "NOPASSWORDS NOSETTINGS NOVERSION";

    private final Map<String, ArrayDeque<PinnedStatement>> pinnedByKey = new HashMap<>();
    private final List<String> constraintIndexes;
    private int pinnedCount;

    private DumpAssembler(PinnedDdl pinnedDdl) {
        for (PinnedStatement s : pinnedDdl.statements()) {
            pinnedByKey.computeIfAbsent(key(s.script()), k -> new ArrayDeque<>()).add(s);
            pinnedCount++;
        }
        constraintIndexes = pinnedDdl.constraintIndexes();
    }

    static DumpAssembler of(PinnedDdl pinnedDdl) {
        return new DumpAssembler(pinnedDdl);
    }

    /**
     * One schema statement as {@code SCRIPT} printed it at pin time, and what the dump writes in its place (the
     * same statement, or for a constraint owning its index the constraint naming it, a primary key's preceded by
     * that index). {@code laterConstraint}: a constraint other than a primary key ({@link ConstraintIndexes}).
     */
    record PinnedStatement(String script, List<String> dump, boolean laterConstraint) {
    }

    /**
     * The schema as {@code SCRIPT} printed it at pin time, and the named indexes of the constraints to create
     * before the first constraint other than a primary key.
     */
    record PinnedDdl(List<PinnedStatement> statements, List<String> constraintIndexes) {
        PinnedDdl {
            statements = List.copyOf(statements);
            constraintIndexes = List.copyOf(constraintIndexes);
        }
    }

    /** The schema part of the dump, as it is now. Ends the connection's transaction (SCRIPT commits). */
    static PinnedDdl captureDdl(Connection c, List<String> schemas) throws SQLException {
        ConstraintIndexes.Plan constraints = ConstraintIndexes.of(c, schemas);
        List<PinnedStatement> ddl = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SCRIPT NODATA " + SCRIPT_OPTIONS + schemaClause(schemas))) {
            while (rs.next()) {
                String statement = stripSemicolon(rs.getString(1).strip());
                if (!statement.startsWith("--") && !isExcluded(statement)) {
                    ddl.add(new PinnedStatement(statement,
                            constraints.replacements().getOrDefault(statement, List.of(statement)),
                            constraints.laterConstraints().contains(statement)));
                }
            }
        }
        return new PinnedDdl(ddl, constraints.indexes());
    }

    static String schemaClause(List<String> schemas) {
        return " SCHEMA " + String.join(", ", schemas.stream().map(H2Sessions::quote).toList());
    }

    /**
     * Copies the full script to out, statement by statement, with the pinned DDL substituted.
     *
     * @throws SchemaChangedException if the script's schema differs from the pinned one
     */
    void assemble(Reader script, Writer out) throws IOException, SchemaChangedException {
        ScriptReader reader = new ScriptReader(script);
        reader.setSkipRemarks(true);
        int used = 0;
        boolean indexesWritten = false;
        String statement;
        while ((statement = reader.readStatement()) != null) {
            statement = statement.strip();
            if (statement.isEmpty() || isExcluded(statement)) {
                continue;
            }
            if (isData(statement)) {
                out.write(statement);
                out.write(";\n");
            } else {
                ArrayDeque<PinnedStatement> pinned = pinnedByKey.get(key(statement));
                if (pinned == null || pinned.isEmpty()) {
                    throw new SchemaChangedException("the schema changed after the snapshot was pinned: "
                            + abbreviate(statement));
                }
                PinnedStatement next = pinned.poll();
                if (next.laterConstraint() && !indexesWritten) {
                    writeAll(constraintIndexes, out);
                    indexesWritten = true;
                }
                writeAll(next.dump(), out);
                used++;
            }
        }
        if (!indexesWritten && !constraintIndexes.isEmpty()) {
            throw new SchemaChangedException("the schema changed after the snapshot was pinned: its constraints "
                    + "are missing from the export");
        }
        if (used != pinnedCount) {
            throw new SchemaChangedException("the schema changed after the snapshot was pinned: " + (pinnedCount - used)
                    + " pinned schema statements are missing from the export");
        }
    }

    private static void writeAll(List<String> statements, Writer out) throws IOException {
        for (String s : statements) {
            out.write(s);
            out.write(";\n");
        }
    }

    /** Rows, and the helper objects H2 uses to carry large LOBs through a script. */
    private static boolean isData(String s) {
        String u = s.toUpperCase(Locale.ROOT);
        return u.startsWith("INSERT INTO ")
                || u.contains(" SYSTEM_LOB_STREAM") && (u.startsWith("CREATE CACHED LOCAL TEMPORARY TABLE")
                        || u.startsWith("ALTER TABLE SYSTEM_LOB_STREAM") || u.startsWith("DROP TABLE IF EXISTS"))
                || u.startsWith("CREATE ALIAS IF NOT EXISTS SYSTEM_COMBINE_")
                || u.startsWith("DROP ALIAS IF EXISTS SYSTEM_COMBINE_");
    }

    /** Users and rights are per replica, not data: the restored store creates its own. */
    private static boolean isExcluded(String s) {
        String u = s.toUpperCase(Locale.ROOT);
        return u.startsWith("CREATE USER ") || u.startsWith("ALTER USER ") || u.startsWith("GRANT ");
    }

    private static String key(String statement) {
        return RESTART.matcher(statement).replaceAll("RESTART WITH ?");
    }

    private static String stripSemicolon(String s) {
        return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** The export overlapped a schema change; take a new snapshot. */
    static final class SchemaChangedException extends Exception {
        SchemaChangedException(String message) {
            super(message);
        }
    }
}
