package org.lockstepdb.server.raft;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.lockstepdb.storage.AppliedIndex;
import org.lockstepdb.storage.SqlStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ReplayCheck} once for every opened store, before the first entry is applied to it, and afterwards
 * notices when a store rebuilt after a crash has caught up, so that the discarded database is deleted.
 *
 * <p>Why not in {@code initialize}: Ratis opens the Raft log only after the state machine's {@code initialize}
 * returned (ServerState: initStatemachine, then initRaftLog). The log is open once the server has started and
 * before the updater applies the first entry, so the check runs at the first apply (on the updater thread) or
 * when {@link org.lockstepdb.server.LockstepNode} calls it right after start (to fail the start with a clear
 * error), whichever is first. Thread-safe; the result is remembered per store.
 */
final class ReplayGate {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayGate.class);

    private final Supplier<RaftLog> raftLog;
    private final Supplier<AppliedIndex> latestSnapshot;
    private SqlStore checked; // guarded by this
    private IOException refusal; // guarded by this
    /** Applied index at which the crash-rebuilt store has caught up; -2 = nothing to watch. */
    private volatile long rebuiltAtIndex = -2;

    /**
     * @param latestSnapshot the last entry the latest snapshot's database holds (the file header), or null
     */
    ReplayGate(Supplier<RaftLog> raftLog, Supplier<AppliedIndex> latestSnapshot) {
        this.raftLog = raftLog;
        this.latestSnapshot = latestSnapshot;
    }

    /**
     * @param rebuiltAfterCrash whether this store replaced a database discarded after a crash
     * @throws IOException if the store must not replay this log (the same refusal on every later call)
     */
    synchronized void check(SqlStore store, boolean rebuiltAfterCrash) throws IOException {
        if (checked == store) {
            if (refusal != null) {
                throw refusal;
            }
            return;
        }
        RaftLog log = raftLog.get();
        long start = log.getStartIndex();
        TermIndex last = log.getLastEntryTermIndex();
        long end = last == null ? start - 1 : last.getIndex();
        AppliedIndex snapshot = latestSnapshot.get();
        Optional<String> problem = ReplayCheck.problem(store.appliedIndex(), snapshot, start, end,
                log::getTermIndex);
        checked = store;
        refusal = problem.map(p -> new IOException("refusing to replay the Raft log into this database: " + p
                + ". The data directory does not belong to this log; restore it from a backup or start the "
                + "replica with an empty data directory so that it rebuilds from the cluster")).orElse(null);
        if (refusal != null) {
            LOG.error(refusal.getMessage());
            throw refusal;
        }
        rebuiltAtIndex = rebuiltAfterCrash ? log.getLastCommittedIndex() : -2;
        if (store.appliedIndex().index() >= 0) {
            LOG.info("the database's applied entry {} belongs to this Raft log (entries {} to {}, snapshot {})",
                    store.appliedIndex(), start, end, snapshot);
        }
        if (rebuiltAfterCrash) {
            LOG.info("rebuilding the database after a crash, up to commit index {}", rebuiltAtIndex);
        }
        applied(store);
    }

    /** After an entry was applied: deletes the crashed run's database once the rebuild reached its target. */
    void applied(SqlStore store) {
        long target = rebuiltAtIndex;
        if (target != -2 && store.appliedIndex().index() >= target) {
            rebuiltAtIndex = -2;
            store.discardCrashCopies();
        }
    }
}
