package org.lockstepdb.protocol;

import java.util.Optional;

/**
 * The administrative operations a replica knows, by the name they carry on the wire ({@link AdminRequest}), and
 * how each reaches the replicas: {@linkplain #throughLog() through the log} when every replica must act at the
 * same log index, otherwise as a read answered by the one replica it is sent to.
 */
public enum AdminOperation {
    /** Read: the replica's Raft role, term, leader, applied and store index, latest snapshot. */
    STATUS("status", false),
    /** Logged: every replica pins this index and computes a checksum of all user data (read with VERIFY_RESULT). */
    VERIFY("verify", true),
    /** Read: the checksum a replica computed for the VERIFY entry at parameter {@code index}. */
    VERIFY_RESULT("verify-result", false),
    /** Read: the latest snapshot's index and the one being exported. */
    SNAPSHOT_STATUS("snapshot-status", false),
    /** Logged: the replica named by parameter {@code node} pins this index and copies it to a backup file. */
    BACKUP("backup", true),
    /** Read: whether the backup {@code id} is copied, and its index, term, size and SHA-256. */
    BACKUP_STATUS("backup-status", false),
    /** Read: {@code length} bytes of backup {@code id} from {@code offset}. */
    BACKUP_CHUNK("backup-chunk", false),
    /** Read: deletes the replica's copy of backup {@code id}. */
    BACKUP_DELETE("backup-delete", false),
    /** Logged: stages one chunk (the payload) of restore {@code id} at {@code offset} on every replica. */
    RESTORE_CHUNK("restore-chunk", true),
    /** Logged: swaps the staged restore {@code id} in on every replica at one index, if its {@code sha256} matches. */
    RESTORE_COMMIT("restore-commit", true),
    /** Logged: abandons the staged restore {@code id}, or without an id every staged restore. */
    RESTORE_ABORT("restore-abort", true),
    /** Read: a client's {@code Statement.cancel()}: stops the query running under {@code id} on this replica. */
    CANCEL_QUERY("cancel-query", false),
    /** Read, between replicas: the log index this replica was started to skip ({@code --skip-log-entry}). */
    RECOVERY_SKIP("recovery-skip", false);

    private final String wireName;
    private final boolean throughLog;

    AdminOperation(String wireName, boolean throughLog) {
        this.wireName = wireName;
        this.throughLog = throughLog;
    }

    /** The name carried in an {@link AdminRequest}, e.g. {@code restore-chunk}. */
    public String wireName() {
        return wireName;
    }

    /** True if the operation is a log entry (applied by every replica at one index), false if it is a read. */
    public boolean throughLog() {
        return throughLog;
    }

    /** The operation called {@code wireName}; empty for a name this version does not know. */
    public static Optional<AdminOperation> named(String wireName) {
        for (AdminOperation op : values()) {
            if (op.wireName.equals(wireName)) {
                return Optional.of(op);
            }
        }
        return Optional.empty();
    }
}
