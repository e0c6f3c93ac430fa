package org.lockstepdb.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What {@code DatabaseMetaData} says the database is: H2, at the version the LockstepDB servers embed, exactly as
 * embedded H2's own driver answers ({@code "H2"}, {@code "2.5.252 (2026-09-23)"}, 2, 5). LockstepDB speaks H2's
 * SQL, so tools (Flyway, Liquibase, Hibernate, jOOQ) must pick their H2 support; the driver keeps its own name and
 * version in {@code getDriverName()}/{@code getDriverVersion()}.
 *
 * <p>Why a build-time constant and not the server's answer: the driver does not depend on H2, and these methods
 * must answer without a round trip (tools call them while they set up, also when a replica is down). The values are
 * filtered into {@code h2-identity.properties} from the parent pom's {@code h2.version} and {@code h2.build.date},
 * the properties the servers' H2 dependency is built with, so a driver answers for the servers of its own release
 * (a test compares them with embedded H2's answers).
 */
final class DatabaseIdentity {
    static final String PRODUCT_NAME = "H2";
    static final String PRODUCT_VERSION;
    static final int MAJOR_VERSION;
    static final int MINOR_VERSION;

    static {
        Properties p = new Properties();
        try (InputStream in = DatabaseIdentity.class.getResourceAsStream("h2-identity.properties")) {
            if (in == null) {
                throw new IllegalStateException("h2-identity.properties is missing from the driver jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = p.getProperty("h2.version");
        PRODUCT_VERSION = version + " (" + p.getProperty("h2.build.date") + ")";
        String[] parts = version.split("\\.");
        MAJOR_VERSION = Integer.parseInt(parts[0]);
        MINOR_VERSION = Integer.parseInt(parts[1]);
    }

    private DatabaseIdentity() {
    }
}
