package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.lockstepdb.server.LockstepNode;

/** Assertions over the replicas' own data, read from each replica's store, not through the leader. */
final class Replicas {
    private Replicas() {
    }

    /** Waits until every given replica's state machine has applied the same log index, and returns it. */
    static long lastApplied(List<LockstepNode> nodes) {
        Awaitility.await("replicas apply the same log index").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> nodes.stream().map(n -> n.stateMachine().getLastAppliedTermIndex().getIndex())
                        .distinct().count() == 1);
        return nodes.get(0).stateMachine().getLastAppliedTermIndex().getIndex();
    }

    /** Waits until every given replica has applied the same index, then requires equal checksums. */
    static String assertConverged(List<LockstepNode> nodes) {
        Awaitility.await("replicas reach the same applied index").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> nodes.stream().map(n -> n.stateMachine().store().appliedIndex().index())
                        .distinct().count() == 1);
        // ...and none of them stopped serving on its own (snapshot installs, restores and restarts must not look
        // like a failure to ServingWatch, or lockstep server would exit).
        assertThat(nodes).as("replicas that stopped serving").noneMatch(n -> n.stoppedServing().isDone());
        List<String> sums = nodes.stream().map(n -> n.stateMachine().store().checksums().consistentChecksum().hex()).collect(Collectors.toList());
        assertThat(sums).as("checksums of %s", nodes.stream().map(LockstepNode::id).toList()).containsOnly(sums.get(0));
        return sums.get(0);
    }
}
