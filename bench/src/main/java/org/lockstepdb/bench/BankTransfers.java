package org.lockstepdb.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bank-transfer workload: {@code accounts} accounts of {@link #INITIAL_BALANCE} each in
 * {@code bench_accounts(id INT PRIMARY KEY, balance BIGINT)}; one operation is one committed interactive
 * transaction ({@code setAutoCommit(false)}) that reads the balances of two distinct random accounts (two point
 * reads) and moves up to {@link #MAX_AMOUNT} from one to the other (two UPDATEs with the computed balances, a
 * read-modify-write), then commits. A transaction that fails with 40001 (serialization failure: a concurrent
 * transfer changed what it read) is rolled back and run again, up to {@link #MAX_ATTEMPTS} times; each retry is
 * counted ({@link Workload.Worker#retries}), so the report gives the abort rate. The operation's latency is that of
 * the committed transfer, retries included. {@link #check} proves the total balance conserved.
 */
public final class BankTransfers implements Workload {
    public static final String TABLE = "bench_accounts";
    static final long INITIAL_BALANCE = 1_000;
    static final int MAX_AMOUNT = 10;
    /** A transfer that still fails with 40001 after this many attempts counts as a failed operation. */
    static final int MAX_ATTEMPTS = 1_000;
    private static final int INSERT_BATCH = 1_000;

    private final int accounts;

    /** @param accounts number of accounts (at least 2); fewer accounts, more conflicts */
    public BankTransfers(int accounts) {
        if (accounts < 2) {
            throw new IllegalArgumentException("a transfer needs at least 2 accounts");
        }
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return BenchOptions.TRANSFER;
    }

    @Override
    public void setUp(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + TABLE);
            st.execute("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?)")) {
            for (int id = 0; id < accounts; id++) {
                ps.setInt(1, id);
                ps.setLong(2, INITIAL_BALANCE);
                ps.addBatch();
                if ((id + 1) % INSERT_BATCH == 0 || id == accounts - 1) {
                    ps.executeBatch();
                }
            }
        }
    }

    @Override
    public Worker open(Connection connection, int threadIndex) throws SQLException {
        connection.setAutoCommit(false);
        PreparedStatement read = connection.prepareStatement("SELECT balance FROM " + TABLE + " WHERE id = ?");
        PreparedStatement write = connection.prepareStatement("UPDATE " + TABLE + " SET balance = ? WHERE id = ?");
        return new Worker() {
            private long retries;

            @Override
            public int runOnce(long opIndex) throws Exception {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int from = random.nextInt(accounts);
                int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
                int amount = 1 + random.nextInt(MAX_AMOUNT);
                for (int attempt = 1; ; attempt++) {
                    try {
                        transfer(from, to, amount);
                        connection.commit();
                        return 1;
                    } catch (SQLException e) {
                        rollbackQuietly(connection);
                        if (!"40001".equals(e.getSQLState()) || attempt >= MAX_ATTEMPTS) {
                            throw e;
                        }
                        retries++;
                    }
                }
            }

            private void transfer(int from, int to, int amount) throws SQLException {
                long fromBalance = balance(from);
                long toBalance = balance(to);
                long moved = Math.min(amount, fromBalance);
                update(from, fromBalance - moved);
                update(to, toBalance + moved);
            }

            private long balance(int id) throws SQLException {
                read.setInt(1, id);
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("account " + id + " not found");
                    }
                    return rs.getLong(1);
                }
            }

            private void update(int id, long balance) throws SQLException {
                write.setLong(1, balance);
                write.setInt(2, id);
                if (write.executeUpdate() != 1) {
                    throw new SQLException("account " + id + " not updated");
                }
            }

            @Override
            public long retries() {
                return retries;
            }
        };
    }

    /**
     * @return "total N conserved over M accounts"
     * @throws SQLException if the total is not {@code accounts × INITIAL_BALANCE}: a transfer was lost or doubled
     */
    @Override
    public String check(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(balance) FROM " + TABLE)) {
            rs.next();
            long expected = accounts * INITIAL_BALANCE;
            if (rs.getLong(1) != accounts || rs.getLong(2) != expected) {
                throw new SQLException("money not conserved: " + rs.getLong(1) + " accounts hold " + rs.getLong(2)
                        + ", expected " + accounts + " holding " + expected);
            }
            return "total " + expected + " conserved over " + accounts + " accounts";
        }
    }

    @Override
    public void tearDown(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // the failure that brought us here is what is reported
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
