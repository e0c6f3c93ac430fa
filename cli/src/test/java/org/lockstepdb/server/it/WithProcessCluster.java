package org.lockstepdb.server.it;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that run each replica in its own JVM: a data directory kept when a test fails (the replicas'
 * logs are the evidence), and the test's {@link #cluster} killed after each test whatever happened.
 */
abstract class WithProcessCluster {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;
    /** Set by the test; every replica process of it is killed after the test. */
    ProcessCluster cluster;

    /** The replica that reports itself LEADER (each replica answers the status for itself). */
    static String leaderId(String url) {
        return Awaitility.await("one replica reports LEADER").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> {
                    try (Connection c = DriverManager.getConnection(url)) {
                        LockstepAdmin admin = c.unwrap(LockstepConnection.class).admin();
                        return admin.status().stream().filter(LockstepAdmin.ReplicaStatus::answered)
                                .filter(r -> "LEADER".equals(r.values().get("role")))
                                .map(LockstepAdmin.ReplicaStatus::replica).findFirst().orElse(null);
                    }
                }, id -> id != null);
    }

    @AfterEach
    void killCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }
}
