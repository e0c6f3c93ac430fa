package org.lockstepdb.jdbc;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * When one request must be answered by: its budget in milliseconds, counted from when it was created on a
 * monotonic nanosecond clock ({@link System#nanoTime()} outside tests).
 */
final class RequestDeadline {
    private final LongSupplier nanoClock;
    private final long budgetMillis;
    private final long startNanos;
    private final long endNanos;

    private RequestDeadline(LongSupplier nanoClock, long budgetMillis) {
        if (budgetMillis <= 0) {
            throw new IllegalArgumentException("a request's budget must be positive, not " + budgetMillis + " ms");
        }
        this.nanoClock = nanoClock;
        this.budgetMillis = budgetMillis;
        this.startNanos = nanoClock.getAsLong();
        this.endNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
    }

    /** A deadline {@code budgetMillis} (> 0) from now. */
    static RequestDeadline after(long budgetMillis) {
        return new RequestDeadline(System::nanoTime, budgetMillis);
    }

    /** As {@link #after(long)} on the given clock (tests). */
    static RequestDeadline after(long budgetMillis, LongSupplier nanoClock) {
        return new RequestDeadline(nanoClock, budgetMillis);
    }

    /**
     * The budget of a request: the connection's {@code timeoutMs}, or the statement's query timeout if one is set
     * and smaller.
     *
     * @param timeoutMillis       the URL's {@code timeoutMs} (> 0)
     * @param queryTimeoutSeconds {@code Statement.setQueryTimeout} (0 = none)
     */
    static long budgetMillis(long timeoutMillis, int queryTimeoutSeconds) {
        if (queryTimeoutSeconds <= 0) {
            return timeoutMillis;
        }
        return Math.min(timeoutMillis, TimeUnit.SECONDS.toMillis(queryTimeoutSeconds));
    }

    long budgetMillis() {
        return budgetMillis;
    }

    /** Milliseconds left, rounded up while any time is left; 0 once the deadline has passed. */
    long remainingMillis() {
        long left = endNanos - nanoClock.getAsLong();
        return left <= 0 ? 0 : (left + 999_999) / 1_000_000;
    }

    boolean expired() {
        return endNanos - nanoClock.getAsLong() <= 0;
    }

    long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - startNanos);
    }

    @Override
    public String toString() {
        return "deadline of " + budgetMillis + " ms, " + remainingMillis() + " ms left";
    }
}
