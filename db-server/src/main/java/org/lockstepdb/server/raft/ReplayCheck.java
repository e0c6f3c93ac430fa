package org.lockstepdb.server.raft;

import java.util.Optional;
import java.util.function.LongFunction;

import org.apache.ratis.server.protocol.TermIndex;
import org.lockstepdb.storage.AppliedIndex;

/**
 * Decides whether a database that says it applied the log up to (term, index) belongs to this Raft log, before
 * any later entry is applied to it. Ratis replays from its latest snapshot and the store skips what it already
 * applied; that skipping is only right if the stored entry is the log's entry. Otherwise (another group's or a
 * rebuilt log, a deleted log directory) entries would be skipped or applied on the wrong state, silently.
 *
 * <p>The stored entry is accepted if the log holds it with the same term, or if it is exactly the last entry
 * the latest snapshot's database holds (the log before the snapshot may be purged). That is the snapshot
 * file's own (term, index), not Ratis' snapshot index: Ratis counts configuration and metadata entries too, so
 * a snapshot registered at index 602 may hold a database whose last SQL entry is 601. Otherwise the entry is
 * refused with a message for the operator. An empty database (index -1) is always accepted.
 */
final class ReplayCheck {
    private ReplayCheck() {
    }

    /**
     * @param stored        what the database says it applied
     * @param snapshot      the last entry the latest snapshot's database holds (its file header), or null if
     *                      there is no snapshot
     * @param logStartIndex the first index held in the Raft log
     * @param logEndIndex   the last index held in the Raft log (below logStartIndex when the log is empty)
     * @param termAt        the log's (term, index) at an index, or null where the log holds no entry
     * @return empty if the database may replay from this log; otherwise why not
     */
    static Optional<String> problem(AppliedIndex stored, AppliedIndex snapshot, long logStartIndex, long logEndIndex,
                                    LongFunction<TermIndex> termAt) {
        long index = stored.index();
        if (index < 0) {
            return Optional.empty();
        }
        TermIndex inLog = index >= logStartIndex && index <= logEndIndex ? termAt.apply(index) : null;
        if (inLog != null) {
            return inLog.getTerm() == stored.term() ? Optional.empty()
                    : Optional.of("the database applied entry " + index + " of term " + stored.term()
                    + ", but the Raft log's entry " + index + " is of term " + inLog.getTerm()
                    + ": they record different histories");
        }
        if (snapshot != null && snapshot.index() == index) {
            return snapshot.term() == stored.term() ? Optional.empty()
                    : Optional.of("the database applied entry " + index + " of term " + stored.term()
                    + ", but the latest snapshot holds entry " + index + " of term " + snapshot.term()
                    + ": they record different histories");
        }
        String log = logEndIndex < logStartIndex ? "the Raft log is empty"
                : "the Raft log holds entries " + logStartIndex + " to " + logEndIndex;
        return Optional.of("the database applied the log up to entry " + index + " (term " + stored.term()
                + "), but " + log + " and " + (snapshot == null ? "there is no snapshot"
                : "the latest snapshot holds the log up to entry " + snapshot.index())
                + ": replaying would skip or misapply entries");
    }
}
