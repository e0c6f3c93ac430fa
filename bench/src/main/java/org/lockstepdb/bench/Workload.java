package org.lockstepdb.bench;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One SQL workload. {@link #setUp} and {@link #tearDown} run once on their own connection; then every client
 * thread calls {@link #open} on its own connection and runs {@link Worker#runOnce} in a closed loop.
 */
public interface Workload {
    /** The name in reports: {@code insert}, {@code batch}, {@code select-linearizable}, ... */
    String name();

    /** Creates (and, for reads, fills) the tables; called once before any client starts. */
    void setUp(Connection connection) throws SQLException;

    /** Prepares one client's statements. The caller closes the connection, which closes the statements. */
    Worker open(Connection connection, int threadIndex) throws SQLException;

    /**
     * Checks an invariant of what the clients left (e.g. money conserved), after they stopped and before
     * {@link #tearDown}; nothing by default.
     *
     * @return what was checked, for the report, or null
     * @throws SQLException if the invariant does not hold (the run is aborted)
     */
    default String check(Connection connection) throws SQLException {
        return null;
    }

    /** Removes what {@link #setUp} created; best effort, called once after the clients have stopped. */
    void tearDown(Connection connection) throws SQLException;

    /** One client's state (its prepared statements). Used by one thread only. */
    interface Worker {
        /**
         * Performs operation number {@code opIndex} of this client (0, 1, 2, ... across warm-up and measurement).
         *
         * @return rows written or read by the operation
         */
        int runOnce(long opIndex) throws Exception;

        /** Attempts this client retried so far inside its operations (40001 of a transaction); 0 by default. */
        default long retries() {
            return 0;
        }
    }
}
