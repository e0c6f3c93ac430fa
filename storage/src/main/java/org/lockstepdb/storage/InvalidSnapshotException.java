package org.lockstepdb.storage;

/**
 * A file that is not a complete, intact LockstepDB snapshot/backup: foreign, truncated, corrupt, or of a format
 * version this build cannot read. The message says which, for an operator.
 */
public final class InvalidSnapshotException extends Exception {
    public InvalidSnapshotException(String message) {
        super(message);
    }
}
