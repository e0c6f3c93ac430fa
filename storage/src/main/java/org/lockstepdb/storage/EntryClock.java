package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Makes the apply session's clock the log entry's stamp: every clock read H2 does while it applies an entry
 * gives the instant the leader stamped on the entry ({@link org.lockstepdb.protocol.WriteRequest#stampMillis()}),
 * on every replica, whenever the entry is applied (first time, replay after a crash, after a snapshot install).
 *
 * <p>Why: the guard rewrites the time functions it sees in a write to literals of the stamp, but H2 also reads
 * the clock where no function is written: a column {@code DEFAULT CURRENT_TIMESTAMP} or {@code ON UPDATE
 * CURRENT_TIMESTAMP}, and conversions such as {@code TIME '10:00:00'} stored into a {@code TIMESTAMP} column
 * (H2 adds the current date). All of them read {@code SessionLocal.currentTimestamp()}, which H2 2.5.252 computes
 * on first use in a transaction and keeps until commit or rollback (REGULAR mode). H2 has no setter, so the
 * private field is set by reflection, in the apply session's time zone (UTC, {@link H2Sessions}), before every
 * statement and every execution of an entry. A DDL statement commits before it runs (and again after), which
 * drops the pin: {@link StatementClockListener}, H2's callback at the start of every statement, pins it again
 * on the applying thread between that commit and the statement's work.
 *
 * <p>H2 is pinned to one version; {@link #attach} checks at open that this still works (the field exists and a
 * pinned instant is what CURRENT_TIMESTAMP and a TIME to TIMESTAMP conversion give, across statements and
 * inside a DDL statement), and the store refuses to open otherwise.
 *
 * <p>An entry stamped 0 (only tests and tools that call {@link SqlStore#apply} directly; the leader stamps every
 * write it logs) reads 1970-01-01 00:00:00 UTC: still the same on every replica, never a replica's own clock.
 */
final class EntryClock {
    /** The pin of the applying thread, renewed at every statement start ({@link #repin}); absent elsewhere. */
    private static final ThreadLocal<Pin> PINNED = new ThreadLocal<>();

    private record Pin(Connection apply, long stampMillis) {
    }

    private EntryClock() {
    }

    /**
     * Sets the clock of {@code apply}'s H2 session to {@code stampMillis} (milliseconds since the epoch) until
     * its transaction ends.
     *
     * @throws SQLException if the connection is not an embedded H2 session, or the clock cannot be set (then
     *                      the replica must not apply the entry: it would read its own clock)
     */
    static void pin(Connection apply, long stampMillis) throws SQLException {
        try {
            SessionClock.pin(apply, stampMillis);
        } catch (IllegalStateException e) {
            throw new SQLException(unsupported(e.getMessage()), e);
        }
        PINNED.set(new Pin(apply, stampMillis));
    }

    /** Ends this thread's pin: later statements on it read the clock again (after their transaction ends). */
    static void unpin() {
        PINNED.remove();
    }

    /** At the start of every statement H2 runs ({@link StatementClockListener}): this thread's pin again, if any. */
    static void repin() {
        Pin pin = PINNED.get();
        if (pin != null) {
            try {
                SessionClock.pin(pin.apply(), pin.stampMillis());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot pin the apply session's clock again", e); // attach checked it
            }
        }
    }

    /**
     * Installs {@link StatementClockListener} on {@code apply}'s database and {@link #verify verifies} pinning;
     * at every open of the apply session.
     *
     * @throws SQLException if pinning does not work with this H2
     */
    static void attach(Connection apply) throws SQLException {
        try (Statement s = apply.createStatement()) {
            s.execute("SET DATABASE_EVENT_LISTENER '" + StatementClockListener.class.getName() + "'");
        }
        verify(apply);
    }

    /**
     * Checks on {@code apply} (an apply session with autocommit off, between entries) that pinning works with the
     * H2 on the class path: a pinned instant is what {@code CURRENT_TIMESTAMP}, {@code LOCALTIMESTAMP} and
     * {@code CAST(TIME … AS TIMESTAMP)} give, in two statements of one transaction, and inside a DDL statement
     * (after H2's commit). Rolls back and leaves no pin.
     *
     * @throws SQLException with a message naming the expected H2 version if it does not
     */
    static void verify(Connection apply) throws SQLException {
        Instant probe = Instant.parse("2004-02-29T23:59:58.123Z");
        try {
            apply.rollback();
            // prepared before the pin: H2 evaluates the clock when the DDL runs, after its own commit
            try (PreparedStatement ddl = apply.prepareStatement("CREATE LOCAL TEMPORARY TABLE LOCKSTEP_CLOCK_PROBE "
                    + "AS SELECT LOCALTIMESTAMP(3) AS T")) {
                pin(apply, probe.toEpochMilli());
                for (int statement = 1; statement <= 2; statement++) {
                    try (Statement s = apply.createStatement();
                         ResultSet rs = s.executeQuery("SELECT CURRENT_TIMESTAMP(3), LOCALTIMESTAMP(3), "
                                 + "CAST(TIME '10:00:00' AS TIMESTAMP)")) {
                        rs.next();
                        Instant now = rs.getObject(1, OffsetDateTime.class).toInstant();
                        String local = rs.getString(2);
                        String timeToTimestamp = rs.getString(3);
                        if (!now.equals(probe) || !local.equals("2004-02-29 23:59:58.123")
                                || !timeToTimestamp.equals("2004-02-29 10:00:00")) {
                            throw new SQLException(unsupported("statement " + statement + " of a transaction pinned at "
                                    + probe + " read CURRENT_TIMESTAMP " + now + ", LOCALTIMESTAMP " + local
                                    + ", CAST(TIME '10:00:00' AS TIMESTAMP) " + timeToTimestamp));
                        }
                    }
                }
                ddl.execute();
            }
            try (Statement s = apply.createStatement()) {
                String inDdl;
                try (ResultSet rs = s.executeQuery("SELECT T FROM LOCKSTEP_CLOCK_PROBE")) {
                    rs.next();
                    inDdl = rs.getString(1);
                }
                s.execute("DROP TABLE LOCKSTEP_CLOCK_PROBE");
                if (!inDdl.equals("2004-02-29 23:59:58.123")) {
                    throw new SQLException(unsupported("a DDL statement pinned at " + probe + " read LOCALTIMESTAMP "
                            + inDdl + " (the pin did not survive H2's commit before DDL)"));
                }
            }
        } finally {
            unpin();
            apply.rollback();
        }
    }

    private static String unsupported(String what) {
        return "cannot pin the apply session's clock to the log entry's stamp with H2 " + H2Internals.runningVersion()
                + " (LockstepDB needs H2 " + H2Internals.PINNED_VERSION + "): " + what + ". Replicas would read their own clocks "
                + "for DEFAULT CURRENT_TIMESTAMP and TIME to TIMESTAMP conversions and store different values; "
                + "run the H2 version LockstepDB was built with";
    }
}
