package org.lockstepdb.protocol;

/** A query's rows, and the applied log index of the replica that answered. */
public record QueryResult(long appliedIndex, ResultData data) implements Reply {
}
