package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.MessageCodec;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.server.LockstepNode;

/**
 * A stale read that waits for a log index is released by the apply thread, but must not run there: while it runs
 * the replica keeps applying the log.
 */
class StaleReadWaitIT {
    @TempDir
    Path dir;

    @Test
    void aStaleReadWaitingForAnIndexRunsOffTheApplyThread() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3);
             Connection c = DriverManager.getConnection(cluster.url());
             Statement s = c.createStatement();
             PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?)")) {
            s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
            LockstepNode leader = cluster.leader();
            LockstepNode follower = cluster.runningNodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            long applied = follower.stateMachine().getLastAppliedTermIndex().getIndex();

            // What Ratis calls for sendStaleRead: an index the follower has not applied yet, and a query that runs
            // until it is cancelled below (or its 60 s limit).
            QueryRequest slow = new QueryRequest("SELECT SUM(X) FROM SYSTEM_RANGE(1, 1000000000000)", List.of(), 0,
                    60_000, "stale-1");
            CompletableFuture<Message> read = follower.stateMachine().queryStale(
                    Message.valueOf(ByteString.copyFrom(MessageCodec.encode(slow))), applied + 1);
            assertThat(read).as("waits for index %d", applied + 1).isNotDone();

            insert.setInt(1, 0);
            insert.executeUpdate(); // index applied + 1 (or later): the follower's apply thread releases the read
            Awaitility.await("the released read runs on the follower").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> RunningStatements.count(follower, "SYSTEM_RANGE(1, 1000000000000)") == 1);

            long before = follower.stateMachine().getLastAppliedTermIndex().getIndex();
            for (int i = 1; i <= 50; i++) {
                insert.setInt(1, i);
                insert.executeUpdate();
            }
            long target = leader.stateMachine().getLastAppliedTermIndex().getIndex();
            Awaitility.await("the follower applies the log while the read runs").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> follower.stateMachine().getLastAppliedTermIndex().getIndex() >= target);
            assertThat(read).as("the read is still running").isNotDone();
            assertThat(target - before).isGreaterThanOrEqualTo(50);
            assertThat(follower.stateMachine().store().appliedIndex().index()).isGreaterThanOrEqualTo(target - 5);

            assertThat(follower.stateMachine().store().cancelQuery("stale-1")).isTrue();
            Reply reply = MessageCodec.decodeReply(read.get(30, TimeUnit.SECONDS).getContent().toByteArray());
            assertThat(reply).isInstanceOfSatisfying(ErrorReply.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
        }
    }
}
