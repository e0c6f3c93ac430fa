package org.lockstepdb.storage;

/**
 * What {@link SnapshotFile#verify} found in an intact snapshot/backup file.
 *
 * @param term          Raft term of the last log entry contained in the snapshot
 * @param index         log index of the last entry contained (the applied index the dump was taken at)
 * @param createdMillis wall-clock time the export was started (informational only)
 * @param sizeBytes     size of the whole file
 * @param sha256hex     SHA-256 of the whole file, lower-case hex: what {@code sha256sum FILE} prints
 */
public record SnapshotHeader(long term, long index, long createdMillis, long sizeBytes, String sha256hex) {
}
