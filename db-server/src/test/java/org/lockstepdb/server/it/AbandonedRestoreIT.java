package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.protocol.AdminOperation;
import org.lockstepdb.protocol.AdminRequest;
import org.lockstepdb.protocol.MessageCodec;

/**
 * A restore client that dies mid-upload leaves a staged restore, which blocks snapshots (and so log purging).
 * {@code admin restore --abort-staged} clears it without changing any data, and snapshots resume.
 */
class AbandonedRestoreIT {
    @TempDir
    Path dir;

    @Test
    void abortingStagedRestoresUnblocksSnapshots() throws Exception {
        try (TestCluster cluster = TestCluster.start(dir, 3, o -> o.withSnapshots(0, 2));
             Connection c = DriverManager.getConnection(cluster.url()); Statement s = c.createStatement()) {
            LockstepAdmin admin = c.unwrap(LockstepConnection.class).admin();
            s.executeUpdate("CREATE TABLE t (id INT PRIMARY KEY)");
            s.executeUpdate("INSERT INTO t VALUES (1)");
            long first = admin.snapshot(null);

            // The first chunk of an upload whose client then vanished.
            try (RaftClient raw = cluster.raftClient()) {
                AdminRequest chunk = new AdminRequest(AdminOperation.RESTORE_CHUNK, Map.of("id", "abandoned", "offset", "0"),
                        new byte[] {1, 2, 3});
                assertThat(raw.io().send(Message.valueOf(ByteString.copyFrom(MessageCodec.encode(chunk)))).isSuccess()).isTrue();
            }
            s.executeUpdate("INSERT INTO t VALUES (2)");
            String before = Replicas.assertConverged(cluster.runningNodes());
            assertThat(admin.snapshot(null)).as("no snapshot while a restore is staged").isEqualTo(first);

            admin.abortStagedRestores();
            assertThat(Replicas.assertConverged(cluster.runningNodes())).as("aborting changes no data").isEqualTo(before);
            assertThat(admin.snapshot(null)).as("snapshots resume").isGreaterThan(first);
        }
    }
}
