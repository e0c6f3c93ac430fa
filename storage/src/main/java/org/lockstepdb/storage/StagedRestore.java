package org.lockstepdb.storage;

/**
 * A backup being uploaded through the log for a restore that has not committed yet.
 *
 * @param restoreId   the id its chunks and its commit carry
 * @param stagedBytes bytes staged so far
 * @param firstIndex  log index of its first chunk
 * @param lastIndex   log index of its latest chunk (the state machine may abort restores idle for too long)
 */
public record StagedRestore(String restoreId, long stagedBytes, long firstIndex, long lastIndex) {
}
