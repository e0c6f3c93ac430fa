package org.lockstepdb.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.server.LocalCluster;
import org.lockstepdb.server.LockstepNode;

/** The transfer workload on a real 3-replica cluster: transactions commit, aborts are retried and counted, money is conserved. */
class BankTransfersTest {
    @Test
    void transfersCommitRetryOn40001AndConserveTheTotal(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort() < 65530 ? s.getLocalPort() : 40000;
        }
        try (LocalCluster cluster = LocalCluster.start(dir, 3, port)) {
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> hasLeader(cluster));
            LockstepTarget target = new LockstepTarget(cluster.jdbcUrl());
            // 4 clients on 3 accounts: conflicts are certain
            BenchResult r = WorkloadRunner.runJdbc("lockstep", new BankTransfers(3),
                    WorkloadRunner.Settings.of(4, Duration.ZERO, Duration.ofSeconds(3)), target.plain());
            assertThat(r.errors()).as(String.valueOf(r.firstError())).isZero();
            assertThat(r.ops()).isPositive();
            assertThat(r.retries()).isPositive();
            assertThat(r.abortRate()).isBetween(0.0, 1.0);
            assertThat(r.note()).isEqualTo("total 3000 conserved over 3 accounts");
            BenchResult insert = WorkloadRunner.runJdbc("lockstep", SqlWorkloads.insert(),
                    WorkloadRunner.Settings.of(4, Duration.ZERO, Duration.ofSeconds(1)), target.plain());
            assertThat(ResultReport.ratios(List.of(insert, r))).singleElement()
                    .satisfies(q -> assertThat(q.name()).isEqualTo("lockstep transfer/insert 4 clients ops_per_s"));
            assertThat(ResultReport.table(List.of(insert, r))).contains("== transfer ==", "abort rate",
                    "conserved");
        }
    }

    private static boolean hasLeader(LocalCluster cluster) throws Exception {
        for (LockstepNode node : cluster.nodes()) {
            if (node.isLeader()) {
                return true;
            }
        }
        return false;
    }
}
