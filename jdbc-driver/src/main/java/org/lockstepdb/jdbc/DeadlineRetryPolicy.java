package org.lockstepdb.jdbc;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.ratis.client.retry.ClientRetryEvent;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

/**
 * The driver's bounded Ratis retry policy for queries and admin reads (the Ratis default retries forever);
 * writes are retried by {@link WriteSender} until their deadline instead. A failed attempt is retried
 * after a fixed sleep while all of these hold: fewer than {@code maxRetries} retries so far, the first failure of
 * that request was less than {@code windowMillis} ago, and — for a request aimed at one chosen server (a
 * follower read) — fewer than {@code targetedRetries} retries, so the driver can move on to another server.
 *
 * <p>A read-only request whose attempt timed out is not retried: the server may still be running the query.
 *
 * <p>Ratis itself makes each retry with the same call id, so the server's retry cache applies a retried write at
 * most once; the driver never resends a failed write as a new request.
 */
final class DeadlineRetryPolicy implements RetryPolicy {
    private final int maxRetries;
    private final int targetedRetries;
    private final long windowNanos;
    private final TimeDuration sleep;
    /** First failure time per call id; entries are dropped when a request gives up or goes stale. */
    private final Map<Long, Long> firstFailureNanos = new ConcurrentHashMap<>();

    DeadlineRetryPolicy(int maxRetries, int targetedRetries, long windowMillis, long sleepMillis) {
        this.maxRetries = maxRetries;
        this.targetedRetries = targetedRetries;
        this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        this.sleep = TimeDuration.valueOf(sleepMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public Action handleAttemptFailure(Event event) {
        long now = System.nanoTime();
        forgetOld(now);
        int attempts = event.getAttemptCount();
        if (attempts > maxRetries) {
            return give(event);
        }
        if (!(event instanceof ClientRetryEvent)) {
            return () -> sleep;
        }
        RaftClientRequest request = ((ClientRetryEvent) event).getRequest();
        if (request == null) {
            return attempts <= maxRetries ? () -> sleep : NO_RETRY_ACTION;
        }
        if (!request.isToLeader() && attempts > targetedRetries) {
            return give(event);
        }
        // A read that got no answer in time may still be running on the server: re-sending it would run it twice.
        if (request.getType().isReadOnly() && QueryDeadline.isClientTimeout(((ClientRetryEvent) event).getCause())) {
            return give(event);
        }
        long first = firstFailureNanos.computeIfAbsent(request.getCallId(), k -> now);
        if (now - first + sleep.toLong(TimeUnit.NANOSECONDS) > windowNanos) {
            return give(event);
        }
        return () -> sleep;
    }

    private Action give(Event event) {
        if (event instanceof ClientRetryEvent && ((ClientRetryEvent) event).getRequest() != null) {
            firstFailureNanos.remove(((ClientRetryEvent) event).getRequest().getCallId());
        }
        return NO_RETRY_ACTION;
    }

    private void forgetOld(long now) {
        if (firstFailureNanos.size() < 64) {
            return;
        }
        for (Iterator<Long> it = firstFailureNanos.values().iterator(); it.hasNext(); ) {
            if (now - it.next() > 2 * windowNanos) {
                it.remove();
            }
        }
    }

    @Override
    public String toString() {
        return "DeadlineRetryPolicy(maxRetries=" + maxRetries + ", targetedRetries=" + targetedRetries
                + ", window=" + TimeUnit.NANOSECONDS.toMillis(windowNanos) + "ms, sleep=" + sleep + ")";
    }
}
