package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.server.LockstepNode;
import org.lockstepdb.server.ServingWatch;

/**
 * A replica whose store fails while applying the log is stopped by Ratis; that is reported as a failure (so
 * {@code lockstep server} exits 70 and a supervisor restarts it), not as a removal, and the others keep serving.
 */
class ApplyFailureIT {
    @TempDir
    Path dir;

    @Test
    void aReplicaWhoseApplyFailsReportsThatItStoppedServing() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3);
             Connection c = DriverManager.getConnection(cluster.url());
             Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
            LockstepNode leader = cluster.leader();
            LockstepNode follower = cluster.runningNodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            assertThat(follower.stoppedServing()).isNotDone();

            follower.stateMachine().store().close(); // the next apply throws StoreFailureException on this replica
            s.executeUpdate("INSERT INTO t VALUES (1)");

            ServingWatch.Stop stop = follower.stoppedServing().get(60, TimeUnit.SECONDS);
            assertThat(stop.removed()).isFalse();
            assertThat(stop.reason()).contains("division");
            s.executeUpdate("INSERT INTO t VALUES (2)");
            try (var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            assertThat(leader.stoppedServing()).isNotDone();
        }
    }
}
