package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * isValid(seconds) and setNetworkTimeout bound how long a caller waits when no replica answers (what a pool such as
 * HikariCP relies on), well below the URL's timeoutMs. Elapsed-time bounds are generous: these are functional
 * timeouts, not performance.
 */
class ConnectionTimeoutsIT {
    @TempDir
    Path dir;

    @Test
    void isValidAndTheNetworkTimeoutAreHonouredWithEveryReplicaStopped() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3);
                Connection c = DriverManager.getConnection(cluster.url("timeoutMs=20000"));
                Connection bounded = DriverManager.getConnection(cluster.url("timeoutMs=20000"))) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
            }
            assertThat(c.isValid(1)).isTrue();
            bounded.setNetworkTimeout(Runnable::run, 1000);
            assertThat(bounded.getNetworkTimeout()).isEqualTo(1000);
            for (String id : new String[] {"n1", "n2", "n3"}) {
                cluster.stopNode(id);
            }

            long start = System.nanoTime();
            assertThat(c.isValid(1)).isFalse();
            assertThat(elapsedMillis(start)).isLessThan(3000);

            try (Statement s = bounded.createStatement()) {
                long read = System.nanoTime();
                assertThatThrownBy(() -> s.executeQuery("SELECT COUNT(*) FROM t")).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).matches("HYT00|08.*|57014"));
                assertThat(elapsedMillis(read)).isLessThan(4000);
                long write = System.nanoTime();
                assertThatThrownBy(() -> s.executeUpdate("INSERT INTO t VALUES (1)")).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).matches("HYT00|08.*"));
                assertThat(elapsedMillis(write)).isLessThan(4000);
            }
        }
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
