package org.lockstepdb.storage;

/**
 * A replica checksum and the applied index it was computed at. Two replicas at the same applied index must
 * report the same {@code hex}; comparing checksums taken at different indexes means nothing.
 */
public record Checksum(long appliedIndex, String hex) {
}
