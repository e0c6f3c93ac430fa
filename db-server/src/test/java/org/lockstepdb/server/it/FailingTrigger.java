package org.lockstepdb.server.it;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

import org.h2.api.Trigger;

/**
 * Stands in for a bug in LockstepDB's own bookkeeping: planted into every replica's H2 file behind LockstepDB's
 * back, it makes every replica fail to apply the same log entry with what looks like an I/O failure of the
 * replica, so every replica stops at that entry and stops again at every restart.
 */
public final class FailingTrigger implements Trigger {
    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("simulated bookkeeping failure", "HY000", 0, new IOException("simulated"));
    }
}
