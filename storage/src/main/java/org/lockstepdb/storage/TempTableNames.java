package org.lockstepdb.storage;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.engine.Database;

/**
 * Makes the names H2 generates during {@code ALTER TABLE} the same on every replica.
 *
 * <p>H2 2.5.252 carries out {@code ALTER TABLE … ADD/DROP/ALTER COLUMN} by copying the table to
 * {@code <table>_COPY_<session id>_<n>}, where n is a counter of the database object kept in memory since it was
 * opened; the new primary key's index is named from a hash of that temporary name ({@code PRIMARY_KEY_3E}) and
 * keeps the name. So a replica that restarted or was rebuilt since (counter back at 0) named it differently from one
 * that never did, and a later {@code DROP INDEX}, {@code ALTER INDEX … RENAME} or INFORMATION_SCHEMA read behaved
 * differently. The store sets the counter to 0 before every execution of an entry's statement; the apply session is
 * the first a store opens on its database, so its id is the same everywhere too. (H2 still skips a temporary name
 * that exists, the same on every replica.)
 */
final class TempTableNames {
    private static final Field NEXT_TEMP_TABLE_ID =
            H2Internals.field(Database.class, "nextTempTableId", AtomicInteger.class);

    private TempTableNames() {
    }

    /** Sets the database's temporary table counter to 0; call on the applying session before a statement runs. */
    static void reset(Connection c) throws SQLException {
        try {
            ((AtomicInteger) NEXT_TEMP_TABLE_ID.get(H2Internals.session(c).getDatabase())).set(0);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("H2 internals differ: " + e, e);
        }
    }
}
