package org.lockstepdb.bench;

import org.HdrHistogram.Histogram;

/**
 * What one workload measured on one system.
 *
 * @param system         {@code lockstep}, {@code h2} or {@code noop}
 * @param workload       {@code insert}, {@code batch}, {@code select-linearizable}, {@code select-follower},
 *                       {@code select} (the H2 baseline's point select)
 * @param clients        concurrent closed-loop clients
 * @param seconds        length of the measurement window (from its start to the end of the last measured
 *                       operation)
 * @param ops            successful operations started in the window
 * @param rows           rows those operations wrote or read
 * @param errors         failed operations started in the window (plus clients that could not connect or hung)
 * @param warmupOps      successful operations during warm-up (not in any other figure)
 * @param latencyNanos   latency of the successful measured operations, in nanoseconds
 * @param firstError     the first failure's description, or null
 * @param retries        attempts retried inside the measured operations (a transaction aborted with 40001 and run
 *                       again); 0 for workloads that do not retry
 * @param note           what the workload checked afterwards ("total … conserved"), or null
 */
public record BenchResult(String system, String workload, int clients, double seconds, long ops, long rows,
                          long errors, long warmupOps, Histogram latencyNanos, String firstError, long retries,
                          String note) {

    /** A result of a workload that does not retry and checks nothing. */
    public BenchResult(String system, String workload, int clients, double seconds, long ops, long rows,
                       long errors, long warmupOps, Histogram latencyNanos, String firstError) {
        this(system, workload, clients, seconds, ops, rows, errors, warmupOps, latencyNanos, firstError, 0, null);
    }

    public BenchResult withNote(String text) {
        return new BenchResult(system, workload, clients, seconds, ops, rows, errors, warmupOps, latencyNanos,
                firstError, retries, text);
    }

    /** Aborted attempts (40001, retried) per attempt, 0..1: retries ÷ (successful operations + retries). */
    public double abortRate() {
        long attempts = ops + retries;
        return attempts == 0 ? 0 : (double) retries / attempts;
    }

    public double opsPerSecond() {
        return seconds <= 0 ? 0 : ops / seconds;
    }

    public double rowsPerSecond() {
        return seconds <= 0 ? 0 : rows / seconds;
    }

    /** Failed share of all measured attempts, 0..1. */
    public double errorRate() {
        long attempts = ops + errors;
        return attempts == 0 ? 0 : (double) errors / attempts;
    }

    public double percentileMillis(double percentile) {
        return latencyNanos.getTotalCount() == 0 ? 0 : latencyNanos.getValueAtPercentile(percentile) / 1e6;
    }

    public double maxMillis() {
        return latencyNanos.getTotalCount() == 0 ? 0 : latencyNanos.getMaxValue() / 1e6;
    }

    public double meanMillis() {
        return latencyNanos.getTotalCount() == 0 ? 0 : latencyNanos.getMean() / 1e6;
    }
}
