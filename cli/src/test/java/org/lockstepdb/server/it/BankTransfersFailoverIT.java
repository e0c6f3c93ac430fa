package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;

/**
 * Issue 8, test 4: 8 clients move money between 10 accounts with interactive transactions (read both balances,
 * check, write both, record the transfer) while the leader's JVM is SIGKILLed twice. The total is conserved on
 * every replica, every acknowledged transfer is there exactly once, and every balance is explained by the recorded
 * transfers (none applied twice, none half-applied). A commit that failed with 08006 may or may not be there.
 */
class BankTransfersFailoverIT extends WithProcessCluster {
    private static final int ACCOUNTS = 10;
    private static final int INITIAL = 1_000;
    private static final int CLIENTS = 8;

    @Test
    void moneyIsConservedAndNoAcknowledgedTransferIsLostOrDoubledThroughTwoLeaderKills() throws Exception {
        Map<String, List<String>> jvms = new LinkedHashMap<>();
        for (String id : List.of("n1", "n2", "n3")) {
            jvms.put(id, List.of());
        }
        cluster = ProcessCluster.start(dir, jvms);
        String url = cluster.url();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE acct (id INT PRIMARY KEY, balance INT NOT NULL)");
            s.executeUpdate("CREATE TABLE transfers (id VARCHAR(36) PRIMARY KEY, src INT, dst INT, amount INT)");
            for (int a = 0; a < ACCOUNTS; a++) {
                s.executeUpdate("INSERT INTO acct VALUES (" + a + ", " + INITIAL + ")");
            }
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger aborts = new AtomicInteger();
        AtomicInteger connectionFailures = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(pool.submit(() -> {
                try (Connection c = DriverManager.getConnection(url)) {
                    c.setAutoCommit(false);
                    while (!stop.get()) {
                        String id = UUID.randomUUID().toString();
                        try {
                            if (transfer(c, id)) {
                                acknowledged.add(id);
                            }
                        } catch (SQLException e) {
                            c.rollback();
                            if ("40001".equals(e.getSQLState())) {
                                aborts.incrementAndGet();
                            } else if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                                connectionFailures.incrementAndGet(); // a lost home or an unknown commit outcome
                            } else {
                                throw e;
                            }
                        }
                    }
                }
                return null;
            }));
        }
        try {
            for (int kill = 0; kill < 2; kill++) {
                awaitMore(acknowledged, acknowledged.size() + 30, clients);
                ProcessNode leader = cluster.node(leaderId(url));
                leader.kill();
                awaitMore(acknowledged, acknowledged.size() + 30, clients);
                leader.start();
            }
            awaitMore(acknowledged, acknowledged.size() + 30, clients);
        } finally {
            stop.set(true);
            pool.shutdown();
        }
        for (Future<?> f : clients) {
            f.get(2, TimeUnit.MINUTES);
        }
        System.out.println("bank: " + acknowledged.size() + " acknowledged transfers, " + aborts + " aborts (40001), "
                + connectionFailures + " connection failures (08)");

        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            Awaitility.await("every replica holds the same data").atMost(Duration.ofSeconds(90))
                    .ignoreExceptions().until(() -> {
                        LockstepAdmin.VerifyReport report = c.unwrap(LockstepConnection.class).admin().verify();
                        return report.replicas().size() == 3 && report.consistent()
                                && report.replicas().stream().allMatch(LockstepAdmin.ReplicaChecksum::answered);
                    });
            try (ResultSet rs = s.executeQuery("SELECT SUM(balance) FROM acct")) {
                rs.next();
                assertThat(rs.getLong(1)).as("total").isEqualTo((long) ACCOUNTS * INITIAL);
            }
            Map<Integer, Long> expected = new HashMap<>();
            Set<String> recorded = ConcurrentHashMap.newKeySet();
            try (ResultSet rs = s.executeQuery("SELECT id, src, dst, amount FROM transfers ORDER BY id")) {
                while (rs.next()) {
                    recorded.add(rs.getString(1));
                    expected.merge(rs.getInt(2), (long) -rs.getInt(4), Long::sum);
                    expected.merge(rs.getInt(3), (long) rs.getInt(4), Long::sum);
                }
            }
            assertThat(recorded).as("acknowledged transfers").containsAll(acknowledged);
            try (ResultSet rs = s.executeQuery("SELECT id, balance FROM acct ORDER BY id")) {
                while (rs.next()) {
                    assertThat(rs.getLong(2)).as("balance of account %d explained by its transfers", rs.getInt(1))
                            .isEqualTo(INITIAL + expected.getOrDefault(rs.getInt(1), 0L));
                }
            }
        }
    }

    /**
     * One transfer: read both balances, check, write both, record it, commit (throws on 40001 or 08). False if the
     * balance was too low (a read-only transaction, committed without the log).
     */
    private static boolean transfer(Connection c, String id) throws SQLException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int src = r.nextInt(ACCOUNTS);
        int dst = (src + 1 + r.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        int amount = 1 + r.nextInt(50);
        int srcBalance = balance(c, src);
        balance(c, dst);
        boolean enough = srcBalance >= amount;
        if (enough) {
            try (PreparedStatement p = c.prepareStatement("UPDATE acct SET balance = balance + ? WHERE id = ?")) {
                p.setInt(1, -amount);
                p.setInt(2, src);
                p.executeUpdate();
                p.setInt(1, amount);
                p.setInt(2, dst);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO transfers VALUES (?, ?, ?, ?)")) {
                p.setString(1, id);
                p.setInt(2, src);
                p.setInt(3, dst);
                p.setInt(4, amount);
                p.executeUpdate();
            }
        }
        c.commit();
        return enough;
    }

    private static int balance(Connection c, int account) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT balance FROM acct WHERE id = ?")) {
            p.setInt(1, account);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Waits until {@code count} transfers were acknowledged; a client that failed otherwise fails the test. */
    private static void awaitMore(Set<String> acknowledged, int count, List<Future<?>> clients) {
        Awaitility.await(count + " acknowledged transfers").atMost(Duration.ofSeconds(120))
                .until(() -> acknowledged.size() >= count || clients.stream().anyMatch(Future::isDone));
        for (Future<?> f : clients) {
            assertThat(f.isDone()).as("a client stopped early (its failure is in Future.get)").isFalse();
        }
    }
}
