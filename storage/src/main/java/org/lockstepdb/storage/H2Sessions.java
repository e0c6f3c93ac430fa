package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens H2 sessions with host-independent settings.
 *
 * <p>Every session runs {@code SET TIME ZONE 'UTC'} so that the JVM default time zone never changes a value
 * that is stored or compared. Writes run as the database owner; queries run as {@link #READER}, a user that
 * holds only SELECT rights, so that no query can insert (e.g. through {@code FINAL TABLE (INSERT ...)}),
 * consume identity values, or call admin-only functions such as {@code FILE_READ}.
 */
final class H2Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(H2Sessions.class);
    static final String OWNER = "LOCKSTEP";
    static final String READER = "LOCKSTEP_READER";
    /**
     * How long the apply session waits for a lock in an entry with DDL. No other session is known to hold a lock
     * such an entry waits for: the apply session is the only writer, and H2 2.5.252's readers take no table
     * locks (a reader's open SNAPSHOT transaction and open result delay neither {@code ALTER TABLE},
     * {@code CREATE INDEX} nor {@code DROP TABLE}: {@code H2LockBehaviourTest}; a concurrent long query or
     * {@code SCRIPT}, as checksums and snapshot exports run, was seen not to either). So this is a margin, not a
     * measured need; a DDL entry that still times out is taken for a failure of this replica
     * ({@link H2ErrorClassifier}), which stops it.
     */
    static final int DDL_LOCK_TIMEOUT_MILLIS = 60_000;
    /**
     * The same in an entry without DDL. The apply session is the only writer and readers take no locks that
     * block DML (H2 itself would let the reader user take row locks with {@code SELECT … FOR UPDATE}, but the
     * server's guard refuses FOR UPDATE on the read path, and the store's own query path refuses it again:
     * {@link ReadOnlyCheck}). A wait here
     * is therefore on a lock the entry holds itself, as H2 does for a {@code MERGE} whose source yields one key
     * twice ({@code H2LockBehaviourTest}): it never ends, the same on every replica, so it is cut short and
     * answered as an error of the entry.
     */
    static final int DML_LOCK_TIMEOUT_MILLIS = 1_000;
    /** Languages whose case mapping differs from the root locale (H2's UPPER/LOWER use the JVM default). */
    private static final Set<String> SPECIAL_CASING_LANGUAGES = Set.of("tr", "az", "lt");

    /**
     * Settings of every H2 database a replica opens, appended to the JDBC URL.
     * <ul>
     *   <li>{@code DB_CLOSE_ON_EXIT=FALSE}: H2 must not close itself in a JVM shutdown hook behind our back; the
     *       store's close() decides when the database is closed and the clean-shutdown marker written.</li>
     *   <li>{@code ANALYZE_AUTO=0}: H2 would otherwise re-analyze a table after every 2,000 changes counted in
     *       memory since the database was opened, so a restarted or rebuilt replica would hold other column
     *       statistics, choose other plans and visit rows in another order (an identity column filled by
     *       {@code INSERT … SELECT} would then differ). Statistics stay H2's defaults; see
     *       {@link PlanStatistics}.</li>
     *   <li>{@code QUERY_CACHE_SIZE=0}: a cached statement keeps the plan chosen when it was first prepared (for
     *       other row counts), which a restarted replica would not have.</li>
     * </ul>
     */
    static final String DATABASE_SETTINGS = ";DB_CLOSE_ON_EXIT=FALSE;ANALYZE_AUTO=0;QUERY_CACHE_SIZE=0";

    /**
     * Settings of the owner's sessions, appended to {@link #DATABASE_SETTINGS}: {@code BUILTIN_ALIAS_OVERRIDE} is
     * database-wide and needs admin rights; given in the URL of the session that opens the database, it is on
     * while H2 loads its metadata, so the aliases of {@link DeterministicFunctions} (named like built-ins) load
     * instead of failing with 90076 at every open. The apply session is the first a store opens.
     */
    static final String OWNER_SETTINGS = ";BUILTIN_ALIAS_OVERRIDE=TRUE";

    private final String url;
    private final String ownerUrl;

    H2Sessions(StoreDirectory directory) {
        this.url = "jdbc:h2:file:" + directory.h2DatabasePath() + DATABASE_SETTINGS;
        this.ownerUrl = url + OWNER_SETTINGS;
        String language = Locale.getDefault().getLanguage();
        if (SPECIAL_CASING_LANGUAGES.contains(language)) {
            LOG.warn("JVM default locale {} has special case mapping; H2's UPPER/LOWER follow it, so replicas with "
                    + "different locales could store different data. Run with -Duser.language=en", Locale.getDefault());
        }
    }

    /**
     * Rows of a result H2 keeps in memory before it buffers the rest to disk; database-wide, set at every open.
     * Why a constant: H2's default is 40,000 per GB of heap, so replicas with different -Xmx would take
     * different code paths for the same entry, and they do not behave alike: H2 2.5.252 fails to read generated
     * keys back from a disk-buffered result (a NullPointerException after some 30,000 rows with -Xmx256m, none
     * with 4 GB), so one replica would roll back an INSERT that another commits. With a constant every replica
     * takes the same path, and {@link WriteResultRows#MAX_ROWS} keeps generated keys in memory.
     */
    static final int RESULT_ROWS_IN_MEMORY = 100_000;

    /** The session that applies log entries: owner rights, explicit transactions. */
    Connection openApplySession() throws SQLException {
        Connection c = DriverManager.getConnection(ownerUrl, OWNER, "");
        try {
            run(c, "SET TIME ZONE 'UTC'", "SET LOCK_TIMEOUT " + DDL_LOCK_TIMEOUT_MILLIS,
                    "SET MAX_MEMORY_ROWS " + RESULT_ROWS_IN_MEMORY);
            c.setAutoCommit(false);
            DeterministicFunctions.install(c);
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * The session interactive transactions run on speculatively ({@link Speculation}): the apply session's user,
     * settings, lock timeout and deterministic functions, because what a transaction's statements give here is
     * compared with what they give on the apply session at its commit; a session with other rights or settings
     * would fail or compute differently and abort every such transaction. Safe with owner rights because only
     * queries and DML run on it ({@link TransactionReplay} refuses the rest, {@link WriteGuard#checkText} the
     * bookkeeping schemas), always rolled back, with what a rollback leaves restored ({@link SpeculationGuard}).
     */
    Connection openTransactionSession() throws SQLException {
        Connection c = DriverManager.getConnection(ownerUrl, OWNER, "");
        try {
            run(c, "SET TIME ZONE 'UTC'", "SET LOCK_TIMEOUT " + DML_LOCK_TIMEOUT_MILLIS);
            c.setAutoCommit(false);
            DeterministicFunctions.useOn(c);
            c.rollback();
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** An owner session reading one snapshot of the whole database (checksums). */
    Connection openSnapshotOwnerSession() throws SQLException {
        return snapshotSession(DriverManager.getConnection(ownerUrl, OWNER, ""));
    }

    /** A read-only query session: reader rights, one snapshot of the whole database per transaction. */
    Connection openQuerySession() throws SQLException {
        return snapshotSession(DriverManager.getConnection(url, READER, ""));
    }

    /**
     * H2 2.x SNAPSHOT isolation snapshots every table of the database at the transaction's first statement
     * (REPEATABLE READ snapshots only the tables each statement touches, when it first touches them). So the
     * applied index read first and the query that follows see the same committed state.
     */
    private static Connection snapshotSession(Connection c) throws SQLException {
        try {
            run(c, "SET TIME ZONE 'UTC'", "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * Creates the reader user if missing and lets it read every user schema, and of LockstepDB's own state only
     * the applied index (a query reads it first, to learn which state it sees): the other bookkeeping, such as
     * other clients' stored replies in {@code CLIENT_CALLS}, is not for queries. Runs at open and after every
     * DDL entry (a new schema needs its own grant). GRANT and REVOKE are idempotent in H2 and commit at once.
     */
    static void grantReaderOnAllSchemas(Connection owner) throws SQLException {
        List<String> schemas = SystemSchemas.userSchemas(owner);
        try (Statement s = owner.createStatement()) {
            s.execute("CREATE USER IF NOT EXISTS " + READER + " PASSWORD ''");
            for (String schema : schemas) {
                s.execute("GRANT SELECT ON SCHEMA " + quote(schema) + " TO " + READER);
            }
            // earlier versions granted the whole bookkeeping schema
            s.execute("REVOKE SELECT ON SCHEMA " + SystemSchemas.STATE + " FROM " + READER);
            s.execute("GRANT SELECT ON " + AppliedIndexTable.TABLE + " TO " + READER);
        }
        owner.commit();
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static void run(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("ignoring error while closing {}: {}", c, e.toString());
        }
    }
}
