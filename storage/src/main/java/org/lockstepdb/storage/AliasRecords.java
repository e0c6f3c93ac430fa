package org.lockstepdb.storage;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.h2.engine.Database;
import org.h2.engine.DbObject;
import org.h2.engine.SessionLocal;
import org.h2.index.Cursor;
import org.h2.index.Index;
import org.h2.result.Row;
import org.h2.schema.Schema;
import org.h2.schema.UserDefinedFunction;

/**
 * Removes the metadata records of LockstepDB's RAND/UUID aliases that earlier versions left behind.
 *
 * <p>Why they exist: H2 re-creates an alias named like a built-in (RAND, UUID, …) at open only if
 * {@code BUILTIN_ALIAS_OVERRIDE} is on while it reads its metadata. Earlier versions opened the database without
 * it, so each open failed to load the aliases (error 90076 in the trace file), {@link DeterministicFunctions#install}
 * created them again, and every open added one more record per alias. The store now opens its database with the
 * setting on ({@link H2Sessions}), so the first record of each alias loads; the others fail again, and are what this
 * class deletes: records of function aliases in LockstepDB's schemas whose object did not load. Users cannot create
 * aliases, and no log entry reads these records, so deleting them changes nothing replicas compute.
 */
final class AliasRecords {
    private static final Field META_ID_INDEX = H2Internals.field(Database.class, "metaIdIndex", Index.class);
    /** Columns of H2's metadata table: ID, HEAD, TYPE, SQL. */
    private static final int ID = 0;
    private static final int TYPE = 2;
    private static final int SQL = 3;

    private AliasRecords() {
    }

    /**
     * Deletes the leftover records in the owner session's transaction (the caller commits).
     *
     * @return how many were deleted
     */
    static int removeLeftovers(Connection owner) throws SQLException {
        SessionLocal session = H2Internals.session(owner);
        Database db = session.getDatabase();
        List<Integer> leftovers = leftoverIds(session, db);
        for (int id : leftovers) {
            db.removeMeta(session, id);
        }
        return leftovers.size();
    }

    /** The records of aliases in LockstepDB's schemas, loaded or not (tests). */
    static int count(Connection owner) throws SQLException {
        SessionLocal session = H2Internals.session(owner);
        int n = 0;
        Cursor cursor = metaIdIndex(session.getDatabase()).find(session, null, null, false);
        while (cursor.next()) {
            if (isOurAlias(cursor.get())) {
                n++;
            }
        }
        return n;
    }

    private static List<Integer> leftoverIds(SessionLocal session, Database db) {
        Set<Integer> loaded = new HashSet<>();
        for (String name : List.of(SystemSchemas.FUNCTIONS, SystemSchemas.STATE)) {
            Schema schema = db.findSchema(name);
            if (schema != null) {
                for (UserDefinedFunction f : schema.getAllFunctionsAndAggregates()) {
                    loaded.add(f.getId());
                }
            }
        }
        List<Integer> leftovers = new ArrayList<>();
        Cursor cursor = metaIdIndex(db).find(session, null, null, false);
        while (cursor.next()) {
            Row row = cursor.get();
            int id = row.getValue(ID).getInt();
            if (isOurAlias(row) && !loaded.contains(id)) {
                leftovers.add(id);
            }
        }
        return leftovers;
    }

    private static boolean isOurAlias(Row row) {
        if (row.getValue(TYPE).getInt() != DbObject.FUNCTION_ALIAS) {
            return false;
        }
        String sql = row.getValue(SQL).getString();
        return sql.contains(" ALIAS \"" + SystemSchemas.FUNCTIONS + "\".")
                || sql.contains(" ALIAS \"" + SystemSchemas.STATE + "\".");
    }

    private static Index metaIdIndex(Database db) {
        try {
            return (Index) META_ID_INDEX.get(db);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("H2 internals differ: " + e, e);
        }
    }
}
