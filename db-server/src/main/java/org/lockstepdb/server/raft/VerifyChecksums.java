package org.lockstepdb.server.raft;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.lockstepdb.storage.ChecksumPin;
import org.lockstepdb.storage.SqlStore;

/**
 * The checksums of {@code verify} entries on this replica. The state is pinned on the apply thread when the
 * entry is applied (so the checksum describes exactly that log index, like before), and computed on a
 * background thread, because reading every row of a large database on the apply thread would stop all writes
 * for as long. {@code verify-result} reads the outcome later.
 */
final class VerifyChecksums implements AutoCloseable {
    /** Outcomes kept; an operator compares them within seconds, so a few suffice. */
    private static final int KEPT = 64;

    private final Map<Long, CompletableFuture<String>> results = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CompletableFuture<String>> eldest) {
            return size() > KEPT;
        }
    };
    /** One at a time: each pinned snapshot keeps old row versions alive in H2 until its checksum is done. */
    private final ExecutorService computer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lockstep-verify");
        t.setDaemon(true);
        return t;
    });

    /** On the apply thread, at {@code index}: pins the store's state and starts computing its checksum. */
    void start(long index, SqlStore store) {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        synchronized (results) {
            results.put(index, outcome);
        }
        ChecksumPin pin;
        try {
            pin = store.checksums().pin();
        } catch (IOException | RuntimeException e) {
            outcome.completeExceptionally(e);
            return;
        }
        try {
            computer.execute(() -> {
                try {
                    outcome.complete(pin.compute().hex());
                } catch (IOException | RuntimeException e) {
                    outcome.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) { // closing
            pin.close();
            outcome.completeExceptionally(new IOException("the replica is shutting down"));
        }
    }

    /** The outcome for the verify entry at {@code index} (hex checksum, or why none), or null if none is kept. */
    CompletableFuture<String> outcome(long index) {
        synchronized (results) {
            return results.get(index);
        }
    }

    @Override
    public void close() {
        computer.shutdownNow();
    }
}
