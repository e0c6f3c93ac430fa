package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;

/** Issue 4, test 4: verify agrees after a mixed workload and catches a replica whose H2 file was tampered with. */
class VerifyIT {
    @TempDir
    Path dir;

    @Test
    void verifyAgreesThenCatchesATamperedReplica() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            try (Connection c = DriverManager.getConnection(cluster.url())) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(10,2))");
                    s.executeUpdate("CREATE SEQUENCE order_no");
                    s.executeUpdate("CREATE TABLE orders (no BIGINT PRIMARY KEY, item INT, at TIMESTAMP)");
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO items VALUES (?, ?, ?)")) {
                    for (int i = 0; i < 200; i++) {
                        p.setInt(1, i);
                        p.setString(2, "item-" + i);
                        p.setBigDecimal(3, java.math.BigDecimal.valueOf(i * 3 + 1, 2));
                        p.addBatch();
                    }
                    p.executeBatch();
                }
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE items SET price = price * 2 WHERE MOD(id, 3) = 0");
                    s.executeUpdate("DELETE FROM items WHERE id > 190");
                    s.executeUpdate("INSERT INTO orders SELECT NEXT VALUE FOR order_no, id, TIMESTAMP '2026-01-01 00:00:00' FROM items WHERE id < 10");
                }
                LockstepAdmin.VerifyReport report = c.unwrap(LockstepConnection.class).admin().verify();
                assertThat(report.replicas()).hasSize(3).allMatch(LockstepAdmin.ReplicaChecksum::answered);
                assertThat(report.consistent()).as("%s", report).isTrue();

                var status = c.unwrap(LockstepConnection.class).admin().status();
                assertThat(status).hasSize(3).allMatch(LockstepAdmin.ReplicaStatus::answered);
                assertThat(status.stream().filter(r -> "LEADER".equals(r.values().get("role")))).hasSize(1);
                assertThat(status.stream().map(r -> r.values().get("leader")).distinct()).hasSize(1);
                assertThat(status.stream().map(r -> Long.parseLong(r.values().get("storeIndex"))))
                        .allMatch(i -> i > 0);
            }

            cluster.stopNode("n3");
            try (Connection h2 = DriverManager.getConnection(
                    "jdbc:h2:file:" + dir.resolve("n3/db/h2/lockstep"), "LOCKSTEP", "");
                 Statement s = h2.createStatement()) {
                assertThat(s.executeUpdate("UPDATE items SET price = 0 WHERE id = 7")).isEqualTo(1);
            }
            cluster.startNode("n3");

            try (Connection c = DriverManager.getConnection(cluster.url())) {
                LockstepAdmin.VerifyReport report = c.unwrap(LockstepConnection.class).admin().verify();
                assertThat(report.consistent()).as("%s", report).isFalse();
                var byReplica = new java.util.HashMap<String, String>();
                report.replicas().forEach(r -> byReplica.put(r.replica(), r.checksum()));
                assertThat(byReplica.get("n1")).isEqualTo(byReplica.get("n2"));
                assertThat(byReplica.get("n3")).as("%s", report).isNotNull().isNotEqualTo(byReplica.get("n1"));
            }
        }
    }
}
