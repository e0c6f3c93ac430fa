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
 */
public record BenchResult(String system, String workload, int clients, double seconds, long ops, long rows,
                          long errors, long warmupOps, Histogram latencyNanos, String firstError) {

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
