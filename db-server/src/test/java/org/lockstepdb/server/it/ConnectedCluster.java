package org.lockstepdb.server.it;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A test class's shared cluster of three replicas with one open connection and its schema applied: the
 * {@code @BeforeAll} of an IT in one call, closed in its {@code @AfterAll}.
 */
record ConnectedCluster(TestCluster cluster, Connection connection) implements AutoCloseable {
    /** Starts three replicas under {@code dir}, connects, and runs each of {@code schema} as its own write. */
    static ConnectedCluster start(Path dir, String... schema) throws IOException, SQLException {
        TestCluster cluster = TestCluster.start(dir, 3);
        Connection connection = DriverManager.getConnection(cluster.url());
        try (Statement s = connection.createStatement()) {
            for (String sql : schema) {
                s.executeUpdate(sql);
            }
        }
        return new ConnectedCluster(cluster, connection);
    }

    /** {@code admin verify}: every replica answered, all with the same checksum at one log index. */
    void assertVerifyConsistent() throws SQLException {
        org.lockstepdb.jdbc.LockstepAdmin.VerifyReport report =
                connection.unwrap(org.lockstepdb.jdbc.LockstepConnection.class).admin().verify();
        org.assertj.core.api.Assertions.assertThat(report.replicas()).hasSize(3)
                .allMatch(org.lockstepdb.jdbc.LockstepAdmin.ReplicaChecksum::answered);
        org.assertj.core.api.Assertions.assertThat(report.consistent()).as("%s", report).isTrue();
    }

    @Override
    public void close() throws SQLException {
        try {
            connection.close();
        } finally {
            cluster.close();
        }
    }
}
