package org.lockstepdb.tools.liquibase;

import liquibase.database.DatabaseConnection;
import liquibase.database.core.H2Database;
import liquibase.exception.DatabaseException;

/**
 * Liquibase's driver lookup for {@code jdbc:lockstep:} URLs (its command line, Maven and Gradle plugins and
 * {@code DatabaseFactory.openDatabase} given only a URL). Liquibase asks every registered {@code Database}
 * ({@code META-INF/services/liquibase.database.Database}) for the default driver of a URL; without this one it fails
 * with "Driver class was not specified and could not be determined from the url".
 *
 * <p>It never handles a connection: LockstepDB's driver reports H2's product name, so Liquibase picks its own
 * {@link H2Database} for the connection, exactly as for a {@code DataSource}, and change logs' {@code dbms="h2"}
 * apply. Its short name is its own ({@code lockstep}): Liquibase keeps one database per short name, and taking
 * {@code h2} would hide {@link H2Database}.
 */
public final class LockstepLiquibaseDatabase extends H2Database {
    /** The URL prefix of every LockstepDB connection: {@code jdbc:lockstep://host:port,host:port/...}. */
    public static final String URL_PREFIX = "jdbc:lockstep:";
    /** The LockstepDB JDBC driver (jdbc-driver module, or the shaded {@code lockstep-jdbc-*-all.jar}). */
    public static final String DRIVER_CLASS = "org.lockstepdb.jdbc.LockstepDriver";

    @Override
    public String getShortName() {
        return "lockstep";
    }

    @Override
    protected String getDefaultDatabaseProductName() {
        return "LockstepDB";
    }

    @Override
    public String getDefaultDriver(String url) {
        return url != null && url.startsWith(URL_PREFIX) ? DRIVER_CLASS : null;
    }

    /** Never: the connection is H2's to handle (its product name is {@code H2}), see the class comment. */
    @Override
    public boolean isCorrectDatabaseImplementation(DatabaseConnection conn) throws DatabaseException {
        return false;
    }
}
