package org.lockstepdb.storage;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import org.h2.engine.Constants;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

/**
 * Access to H2 fields that have no API, for the few places that must read or set state H2 keeps outside
 * transactions ({@link SessionClock}, {@link SpeculationGuard}). Such access is only correct for the H2 version
 * it was written and tested against; with any other version the store refuses to open, naming the versions,
 * instead of silently restoring the wrong state (which would split replicas).
 */
final class H2Internals {
    /** The H2 version whose internals this code knows: 2.5.252 (the version LockstepDB pins). */
    static final String PINNED_VERSION = "2.5.252";

    private H2Internals() {
    }

    /** The running H2's version, e.g. {@code 2.5.252}. */
    static String runningVersion() {
        return Constants.VERSION_MAJOR + "." + Constants.VERSION_MINOR + "." + Constants.BUILD_ID;
    }

    /**
     * @throws IllegalStateException if the running H2 is not {@link #PINNED_VERSION}
     */
    static void checkVersion() {
        if (!PINNED_VERSION.equals(runningVersion())) {
            throw new IllegalStateException("LockstepDB reads and restores H2 internals (sequence caches, row keys, "
                    + "the session clock) known for H2 " + PINNED_VERSION + " only, but H2 " + runningVersion()
                    + " is on the class path; use H2 " + PINNED_VERSION);
        }
    }

    /**
     * A private field of H2, made accessible, checked to have the expected type.
     *
     * @throws IllegalStateException naming the field if H2 differs
     */
    static Field field(Class<?> owner, String name, Class<?> type) {
        checkVersion();
        Field f;
        try {
            f = owner.getDeclaredField(name);
            f.setAccessible(true);
        } catch (NoSuchFieldException | RuntimeException e) {
            throw new IllegalStateException("H2 internals differ: no accessible field " + owner.getName() + "." + name
                    + " in H2 " + runningVersion() + " (LockstepDB needs H2 " + PINNED_VERSION + ")", e);
        }
        if (f.getType() != type) {
            throw new IllegalStateException("H2 internals differ: " + owner.getName() + "." + name + " is a "
                    + f.getType().getName() + ", expected " + type.getName() + " (H2 " + runningVersion() + ")");
        }
        return f;
    }

    /** The embedded session behind a JDBC connection to an embedded database. */
    static SessionLocal session(Connection c) throws SQLException {
        Session s = c.unwrap(JdbcConnection.class).getSession();
        if (!(s instanceof SessionLocal local)) {
            throw new SQLException("embedded H2 session expected, got " + s.getClass().getName());
        }
        return local;
    }
}
