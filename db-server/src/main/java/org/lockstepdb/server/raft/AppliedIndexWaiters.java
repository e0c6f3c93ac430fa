package org.lockstepdb.server.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Futures that complete once the state machine has applied a given index. Replaces
 * {@code BaseStateMachine.queryStale}'s waiting: in Ratis 3.3.0 {@code BaseStateMachine.updateLastAppliedTermIndex}
 * returns before completing its waiting futures whenever the term-index changed, so a waiter only wakes when the
 * same term-index is set a second time. Bounded: a waiter times out.
 */
final class AppliedIndexWaiters {
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    private long applied = -1;

    CompletableFuture<Void> awaitApplied(long index, long timeoutMillis) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        synchronized (this) {
            if (index <= applied) {
                f.complete(null);
                return f;
            }
            waiters.computeIfAbsent(index, i -> new ArrayList<>()).add(f);
        }
        return f.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    void applied(long index) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (this) {
            applied = Math.max(applied, index);
            Map<Long, List<CompletableFuture<Void>>> head = waiters.headMap(applied, true);
            head.values().forEach(ready::addAll);
            head.clear();
        }
        ready.forEach(f -> f.complete(null));
    }
}
