package org.lockstepdb.server.raft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.WriteResult;
import org.lockstepdb.storage.SqlStore;

/**
 * Operator recovery on the apply path ({@code lockstep server --skip-log-entry}): the entry the operator names is
 * applied as rejected once a majority was started with the same flag, and every entry this replica skipped before
 * (listed in {@code DIR/skipped-log-entries}) is skipped again on replay.
 */
final class OperatorSkips {
    /** Waits until a majority of the replicas were started to skip the same entry. */
    interface MajorityWait {
        void await(RecoverySkip skip) throws InterruptedException, IOException;
    }

    private final Path skippedFile;
    private volatile RecoverySkip recoverySkip = new RecoverySkip(RecoverySkip.NONE);
    /** Log indexes this replica skipped by operator recovery; null until read. */
    private volatile Set<Long> skippedEntries;

    OperatorSkips(Path databaseDir) {
        this.skippedFile = databaseDir.resolveSibling(RecoverySkip.SKIPPED_FILE);
    }

    /** Set before the Raft server starts. */
    void set(RecoverySkip skip) {
        this.recoverySkip = skip;
    }

    RecoverySkip current() {
        return recoverySkip;
    }

    /** Whether the entry at {@code index} is applied as skipped (named now, or skipped before). */
    boolean skips(long index) {
        return recoverySkip.names(index) || skippedBefore(index);
    }

    /** Applies entry {@code index} as rejected (once a majority agrees, the first time). */
    Reply skip(SqlStore store, long term, long index, MajorityWait majority) {
        if (store.appliedIndex().index() < index && !skippedBefore(index)) {
            try {
                majority.await(recoverySkip);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("stopped while waiting to skip log entry " + index, e);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the configuration to skip log entry " + index, e);
            }
            try {
                RecoverySkip.recordSkipped(skippedFile, index);
                skippedBefore(index); // loads the set if needed
                skippedEntries.add(index);
            } catch (IOException e) {
                throw new IllegalStateException("cannot record that log entry " + index + " was skipped", e);
            }
        }
        return store.skip(term, index).orElseGet(() -> new WriteResult(index, List.of())); // empty: skipped before
    }

    /**
     * Whether this replica skipped {@code index} before (agreed by a majority then). The file is read once, on the
     * first entry: the apply path does no I/O for it afterwards.
     */
    private boolean skippedBefore(long index) {
        Set<Long> skipped = skippedEntries;
        if (skipped == null) {
            try {
                skipped = new ConcurrentSkipListSet<>(RecoverySkip.skippedBefore(skippedFile));
            } catch (IOException | NumberFormatException e) {
                throw new IllegalStateException("cannot read " + skippedFile, e);
            }
            skippedEntries = skipped;
        }
        return skipped.contains(index);
    }
}
