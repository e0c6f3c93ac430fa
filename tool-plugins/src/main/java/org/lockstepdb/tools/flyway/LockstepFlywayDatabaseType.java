package org.lockstepdb.tools.flyway;

import java.sql.Connection;

import org.flywaydb.core.internal.database.h2.H2DatabaseType;

/**
 * Flyway's database plugin for {@code jdbc:lockstep:} URLs (Flyway's command line, Maven and Gradle plugins, and
 * {@code Flyway.configure().dataSource(url, user, password)}). Flyway asks its plugins, found through
 * {@code ServiceLoader} ({@code META-INF/services/org.flywaydb.core.extensibility.Plugin}), which one handles a
 * URL and which driver class to load for it; without this one it fails with "No Flyway database plugin found to
 * handle jdbc:lockstep:".
 *
 * <p>Everything else is Flyway's H2 support: LockstepDB speaks H2's SQL and its driver reports H2's product name
 * and version, so once connected Flyway picks {@link H2DatabaseType} from the connection's metadata, exactly as
 * for a {@code DataSource}. This type therefore claims URLs only, never a connection: embedded H2 on the same
 * class path keeps Flyway's own H2 type.
 */
public final class LockstepFlywayDatabaseType extends H2DatabaseType {
    /** The URL prefix of every LockstepDB connection: {@code jdbc:lockstep://host:port,host:port/...}. */
    public static final String URL_PREFIX = "jdbc:lockstep:";
    /** The LockstepDB JDBC driver (jdbc-driver module, or the shaded {@code lockstep-jdbc-*-all.jar}). */
    public static final String DRIVER_CLASS = "org.lockstepdb.jdbc.LockstepDriver";

    @Override
    public String getName() {
        return "LockstepDB";
    }

    @Override
    public boolean handlesJDBCUrl(String url) {
        return url.startsWith(URL_PREFIX);
    }

    @Override
    public String getDriverClass(String url, ClassLoader classLoader) {
        return DRIVER_CLASS;
    }

    /** Never: the connection is H2's to handle (its product name is {@code H2}), see the class comment. */
    @Override
    public boolean handlesDatabaseProductNameAndVersion(String databaseProductName, String databaseProductVersion,
            Connection connection) {
        return false;
    }
}
