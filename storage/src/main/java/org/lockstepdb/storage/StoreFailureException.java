package org.lockstepdb.storage;

/**
 * A failure that is not a property of the SQL being applied (I/O error, full disk, corrupt file, closed
 * database, out of memory, lock timeout): another replica applying the same entry would not see it. The store
 * must not turn it into an error reply, because that would let replicas diverge. The caller should stop the
 * replica; the store marks itself failed so that {@link SqlStore#close()} leaves no clean-shutdown marker and
 * the next start rebuilds the database from the log.
 */
public final class StoreFailureException extends RuntimeException {
    public StoreFailureException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreFailureException(String message) {
        super(message);
    }
}
