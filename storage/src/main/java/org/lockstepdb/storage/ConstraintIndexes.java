package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.h2.constraint.Constraint;
import org.h2.engine.SessionLocal;
import org.h2.index.Index;
import org.h2.schema.Schema;

/**
 * Keeps the names of the indexes H2 creates for constraints (primary key, unique, foreign key) through a dump.
 *
 * <p>Why: H2 names such an index when the constraint is created, from the table's name and the names that exist
 * at that moment ({@code PRIMARY_KEY_3E}, {@code CONSTRAINT_54_INDEX_3}); {@code ALTER TABLE … ADD COLUMN}
 * rebuilds the table under a temporary name, and a constraint declared inside {@code CREATE TABLE} is named in
 * another order than the one {@code SCRIPT} replays. {@code SCRIPT} writes the constraint without its index, so a
 * replica rebuilt from a snapshot would generate other names, and a later {@code DROP INDEX}, {@code ALTER INDEX …
 * RENAME} or INFORMATION_SCHEMA read would behave differently there than on replicas that never rebuilt.
 *
 * <p>So the dump writes such a constraint as H2 writes it in its own metadata to reopen a database: first the
 * index with its name ({@code CREATE PRIMARY KEY "S"."PRIMARY_KEY_3E" ON …}), then the constraint naming it
 * ({@code … PRIMARY KEY("ID") INDEX "S"."PRIMARY_KEY_3E"}), which makes the constraint own that index exactly as
 * if it had created it. Like H2's reopen, all those indexes exist before the first constraint other than a
 * primary key is added: a constraint that shares an index it does not own (a second foreign key on the same
 * columns) must find that index rather than create one of its own. (Which of several usable indexes it then
 * picks follows H2's rule, the one with the fewest columns that comes first, as when H2 reopens a database.)
 */
final class ConstraintIndexes {
    /** How H2 writes the index of a primary key ({@code CREATE PRIMARY KEY "S"."N" ON …}); see DatabaseBuilder. */
    static final String PRIMARY_KEY_INDEX = "CREATE PRIMARY KEY ";
    private ConstraintIndexes() {
    }

    /**
     * What the dump writes for the constraints of the given schemas.
     *
     * @param replacements     {@code SCRIPT}'s statement of a constraint that owns its index (written without the
     *                         index) → the statements to write instead: for a primary key its index and then the
     *                         constraint naming it (both must precede the table's rows); for the others the
     *                         constraint naming its index
     * @param laterConstraints {@code SCRIPT}'s statements of every constraint other than a primary key: {@code
     *                         SCRIPT} writes them after all tables and rows
     * @param indexes          the owned indexes of those later constraints, in creation order, to be created
     *                         before the first of them, so that a constraint sharing another's index (one that
     *                         does not own it) finds it, as it did when it was created
     */
    record Plan(Map<String, List<String>> replacements, Set<String> laterConstraints, List<String> indexes) {
    }

    static Plan of(Connection c, List<String> schemas) throws SQLException {
        SessionLocal session = H2Internals.session(c);
        Map<String, List<String>> replacements = new HashMap<>();
        Set<String> later = new HashSet<>();
        TreeMap<Integer, String> indexesById = new TreeMap<>();
        for (String name : schemas) {
            Schema schema = session.getDatabase().findSchema(name);
            if (schema == null) {
                continue;
            }
            for (Constraint constraint : schema.getAllConstraints()) {
                String withoutIndex = constraint.getCreateSQLWithoutIndexes();
                boolean primaryKey = constraint.getConstraintType() == Constraint.Type.PRIMARY_KEY;
                if (!primaryKey && withoutIndex != null) {
                    later.add(withoutIndex);
                }
                String withIndex = constraint.getCreateSQL();
                Index index = constraint.getIndex();
                // the two differ exactly when the constraint owns its index (H2 then appends " INDEX <name>")
                if (index == null || withoutIndex == null || withoutIndex.equals(withIndex)) {
                    continue;
                }
                if (primaryKey) {
                    replacements.put(withoutIndex, List.of(index.getCreateSQL(), withIndex));
                } else {
                    replacements.put(withoutIndex, List.of(withIndex));
                    indexesById.put(index.getId(), index.getCreateSQL());
                }
            }
        }
        return new Plan(replacements, later, List.copyOf(indexesById.values()));
    }
}
