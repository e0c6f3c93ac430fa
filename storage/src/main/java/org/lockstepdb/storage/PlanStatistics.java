package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * Keeps everything H2's planner decides from identical on every replica, so that every replica runs a write
 * with the same plan and visits rows in the same order (which decides identity values, per-row RAND values,
 * {@code DISTINCT ON}, {@code MERGE} and {@code FETCH FIRST} results).
 *
 * <p>H2 chooses plans from row counts (the same on every replica at one log index), from column statistics
 * (SELECTIVITY) and from plans cached in the session. Statistics: automatic ANALYZE is off
 * ({@link H2Sessions#DATABASE_SETTINGS}), ANALYZE and SELECTIVITY are refused ({@link WriteGuard}), and
 * statistics an earlier version let H2 compute are reset to H2's default at every open. Cached plans: the
 * statement cache is off, and the plans H2 caches per session for views expire after 10 s of wall-clock
 * time, so the apply session forgets them before every statement.
 */
final class PlanStatistics {
    /** H2's selectivity of a column it has not analyzed (Constants.SELECTIVITY_DEFAULT). */
    static final int DEFAULT_SELECTIVITY = 50;

    private PlanStatistics() {
    }

    /** Sets every user column's selectivity back to H2's default; commits. Cheap when nothing differs. */
    static void resetToDefaults(Connection owner) throws SQLException {
        List<String> alters = new ArrayList<>();
        try (Statement s = owner.createStatement();
             var rs = s.executeQuery("SELECT C.TABLE_SCHEMA, C.TABLE_NAME, C.COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS C "
                     + "JOIN INFORMATION_SCHEMA.TABLES T ON T.TABLE_SCHEMA = C.TABLE_SCHEMA AND T.TABLE_NAME = C.TABLE_NAME "
                     + "WHERE T.TABLE_TYPE = 'BASE TABLE' AND C.SELECTIVITY <> " + DEFAULT_SELECTIVITY
                     + " AND C.TABLE_SCHEMA " + SystemSchemas.NOT_IN_USER_DATA)) {
            while (rs.next()) {
                alters.add("ALTER TABLE " + H2Sessions.quote(rs.getString(1)) + "." + H2Sessions.quote(rs.getString(2))
                        + " ALTER COLUMN " + H2Sessions.quote(rs.getString(3)) + " SELECTIVITY " + DEFAULT_SELECTIVITY);
            }
        }
        try (Statement s = owner.createStatement()) {
            for (String alter : alters) {
                s.execute(alter);
            }
        }
        owner.commit();
    }

    /**
     * Drops the view plans H2 cached in this session (internal API of the pinned H2 version: there is no SQL
     * for it). They expire by wall-clock time, which differs between replicas.
     */
    static void forgetCachedViewPlans(Connection session) throws SQLException {
        if (session.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
            local.clearViewIndexCache();
        }
    }
}
