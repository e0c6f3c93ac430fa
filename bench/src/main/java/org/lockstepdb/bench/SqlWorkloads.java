package org.lockstepdb.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The SQL workloads, all on {@code bench_kv(id BIGINT PRIMARY KEY, v VARCHAR(100))}: each workload's set-up
 * drops and recreates the table, its tear-down drops it.
 *
 * <p>Ids are unique per client without coordination: client {@code t} writes ids {@code t * 2^40 + n}.
 */
public final class SqlWorkloads {
    public static final String TABLE = "bench_kv";
    /** A fixed 64-character value: with the SQL text, a single-row INSERT request is roughly 100-150 bytes. */
    static final String VALUE = "lockstep-bench-value-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG".substring(0, 64);
    private static final int PRELOAD_BATCH = 1000;
    private static final String INSERT_SQL = "INSERT INTO " + TABLE + " (id, v) VALUES (?, ?)";
    private static final String SELECT_SQL = "SELECT v FROM " + TABLE + " WHERE id = ?";

    private SqlWorkloads() {
    }

    static long idOf(int threadIndex, long n) {
        return ((long) threadIndex << 40) + n;
    }

    /** Single-row autocommit INSERT through a PreparedStatement. */
    public static Workload insert() {
        return new Base("insert") {
            @Override
            public Worker open(Connection connection, int threadIndex) throws SQLException {
                PreparedStatement ps = connection.prepareStatement(INSERT_SQL);
                return opIndex -> {
                    ps.setLong(1, idOf(threadIndex, opIndex));
                    ps.setString(2, VALUE);
                    return ps.executeUpdate();
                };
            }
        };
    }

    /**
     * {@code batchSize} rows per {@code executeBatch}. With {@code explicitTransaction} the client turns
     * autocommit off and commits after each batch (embedded H2: one commit per batch, as in PERF-BASELINES);
     * otherwise the batch runs in autocommit mode (LockstepDB: one batch is one log entry).
     */
    public static Workload batch(int batchSize, boolean explicitTransaction) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        return new Base("batch") {
            @Override
            public Worker open(Connection connection, int threadIndex) throws SQLException {
                if (explicitTransaction) {
                    connection.setAutoCommit(false);
                }
                PreparedStatement ps = connection.prepareStatement(INSERT_SQL);
                return opIndex -> {
                    long first = opIndex * batchSize;
                    try {
                        for (int i = 0; i < batchSize; i++) {
                            ps.setLong(1, idOf(threadIndex, first + i));
                            ps.setString(2, VALUE);
                            ps.addBatch();
                        }
                        int[] counts = ps.executeBatch();
                        if (explicitTransaction) {
                            connection.commit();
                        }
                        return rowsOf(counts, batchSize);
                    } catch (SQLException | RuntimeException e) {
                        clearQuietly(ps, explicitTransaction ? connection : null);
                        throw e;
                    }
                };
            }
        };
    }

    /**
     * Point SELECT by primary key of a random one of {@code rows} preloaded rows; a missing row is an error.
     * How the read is served (linearizable, follower) is a property of the connection, not of the workload.
     */
    public static Workload select(String name, int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("need at least one preloaded row");
        }
        return new Base(name) {
            @Override
            public void setUp(Connection connection) throws SQLException {
                super.setUp(connection);
                preload(connection, rows);
            }

            @Override
            public Worker open(Connection connection, int threadIndex) throws SQLException {
                PreparedStatement ps = connection.prepareStatement(SELECT_SQL);
                return opIndex -> {
                    long id = ThreadLocalRandom.current().nextLong(rows);
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next() || rs.getString(1) == null) {
                            throw new SQLException("preloaded row " + id + " not found");
                        }
                        return 1;
                    }
                };
            }
        };
    }

    /** Inserts ids 0..rows-1 in batches (autocommit). */
    static void preload(Connection connection, int rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT_SQL)) {
            int pending = 0;
            for (long id = 0; id < rows; id++) {
                ps.setLong(1, id);
                ps.setString(2, VALUE);
                ps.addBatch();
                if (++pending == PRELOAD_BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    private static int rowsOf(int[] counts, int expected) {
        int rows = 0;
        for (int c : counts) {
            if (c == Statement.SUCCESS_NO_INFO) {
                rows++;
            } else if (c > 0) {
                rows += c;
            }
        }
        // Drivers may report SUCCESS_NO_INFO or one aggregated count; never report more than was sent.
        return counts.length == 0 ? expected : Math.min(rows, expected);
    }

    private static void clearQuietly(PreparedStatement ps, Connection rollback) {
        try {
            ps.clearBatch();
        } catch (SQLException | RuntimeException ignored) {
            // the error that brought us here is what matters
        }
        if (rollback != null) {
            try {
                rollback.rollback();
            } catch (SQLException | RuntimeException ignored) {
                // idem
            }
        }
    }

    private abstract static class Base implements Workload {
        private final String name;

        Base(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void setUp(Connection connection) throws SQLException {
            try (Statement st = connection.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + TABLE);
                st.execute("CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, v VARCHAR(100))");
            }
        }

        @Override
        public void tearDown(Connection connection) throws SQLException {
            try (Statement st = connection.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + TABLE);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
