package org.lockstepdb.server.it;

import java.nio.file.Path;

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

    @AfterEach
    void killCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }
}
