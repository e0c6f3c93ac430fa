package org.lockstepdb.storage;

/**
 * The last log entry applied to this replica's database: its Raft term and log index. {@link #NONE} (index -1)
 * means nothing has been applied yet, so replay must start from the beginning of the log.
 */
public record AppliedIndex(long term, long index) {
    public static final AppliedIndex NONE = new AppliedIndex(0, -1);

    public AppliedIndex {
        if (index < -1) {
            throw new IllegalArgumentException("index must be >= -1, not " + index);
        }
    }
}
