package org.lockstepdb.bench;

/** The benchmark stopped because a workload failed too often (or could not run at all). */
public final class BenchAbortedException extends Exception {
    private static final long serialVersionUID = 1L;

    public BenchAbortedException(String message) {
        super(message);
    }

    public BenchAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
