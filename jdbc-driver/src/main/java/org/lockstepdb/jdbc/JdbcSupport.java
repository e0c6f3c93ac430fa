package org.lockstepdb.jdbc;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/** Small helpers shared by the JDBC classes. */
final class JdbcSupport {
    private JdbcSupport() {
    }

    static SQLFeatureNotSupportedException unsupported(String what) {
        return new SQLFeatureNotSupportedException(what + " is not supported by the LockstepDB driver", "0A000");
    }

    static SQLException closed(String what) {
        return new SQLException(what + " is closed", "08003");
    }

    /** Implements {@code Wrapper.unwrap} for an object that only wraps itself. */
    static <T> T unwrap(Object self, Class<T> iface) throws SQLException {
        if (iface != null && iface.isInstance(self)) {
            return iface.cast(self);
        }
        throw new SQLException(self.getClass().getSimpleName() + " does not implement " + iface, "HY000");
    }

    static boolean isWrapperFor(Object self, Class<?> iface) {
        return iface != null && iface.isInstance(self);
    }
}
