package org.lockstepdb.server;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when a replica stops serving without being asked to. Ratis closes its server on its own — after a JVM
 * pause longer than the close threshold (GC, SIGSTOP, a frozen VM), or when applying the log fails (the state
 * machine threw) — and then leaves the JVM running with no port and no answer. A process that serves nothing must
 * end, so that systemd or Kubernetes restarts it; {@code lockstep server} exits with {@link #EXIT_STOPPED_SERVING}
 * when {@link #stopped()} completes. A replica removed from the cluster also stops serving; that is reported as
 * {@link Stop#removed()} (an operator's decision, not a failure).
 *
 * <p>It polls the server's and the group division's life cycle (cheap reads, every {@link #POLL_MILLIS} ms)
 * rather than hooking into Ratis' close paths, so that every way of closing is covered. A removal is told apart
 * by the state machine's {@code notifyServerShutdown} (Ratis' signal that a voter said "not in the
 * configuration") or a configuration without this replica.
 */
public final class ServingWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingWatch.class);
    /** Exit status of {@code lockstep server} when its replica stopped serving on its own (EX_SOFTWARE). */
    public static final int EXIT_STOPPED_SERVING = 70;
    static final long POLL_MILLIS = 250;
    /** A division's close (which first applies what is committed) is given this many polls to finish. */
    private static final int CLOSE_WAIT_POLLS = 120;

    /** Why the replica stopped serving. */
    public record Stop(String reason, boolean removed) {
    }

    private final RaftServer server;
    private final RaftGroupId groupId;
    /** Set by the state machine when Ratis shut the division down because the cluster no longer includes it. */
    private final BooleanSupplier removed;
    private final CompletableFuture<Stop> stopped = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closing;

    ServingWatch(RaftServer server, RaftGroupId groupId, BooleanSupplier removed) {
        this.server = server;
        this.groupId = groupId;
        this.removed = removed;
        this.thread = new Thread(this::run, "lockstep-serving-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Completes once when the replica stops serving without {@link #close()} having been called first. */
    public CompletableFuture<Stop> stopped() {
        return stopped;
    }

    private void run() {
        while (!closing) {
            Stop stop = check();
            if (stop != null && !closing) {
                if (stop.removed()) {
                    LOG.warn("this replica stopped serving: {}", stop.reason());
                } else {
                    LOG.error("this replica stopped serving: {}", stop.reason());
                }
                stopped.complete(stop);
                return;
            }
            if (!pause()) {
                return;
            }
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(POLL_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return why the replica no longer serves, or null while it does */
    private Stop check() {
        LifeCycle.State state = server.getLifeCycleState();
        if (state.isClosingOrClosed()) {
            return new Stop("the Raft server is " + state + " (a JVM pause longer than the close threshold, or a"
                    + " fatal error; see the log above)", false);
        }
        RaftServer.Division division;
        try {
            division = server.getDivision(groupId);
        } catch (IOException e) {
            return new Stop("the Raft server no longer serves group " + groupId + ": " + e.getMessage(), false);
        }
        if (division.getInfo().isAlive()) {
            return null;
        }
        // Ratis tells the state machine of a removal only after the division's close has returned: wait for it.
        for (int i = 0; i < CLOSE_WAIT_POLLS && !closing
                && division.getInfo().getLifeCycleState() != LifeCycle.State.CLOSED; i++) {
            pause();
        }
        pause();
        boolean member = !removed.getAsBoolean() && division.getRaftConf().getPeer(division.getId(),
                RaftPeerRole.FOLLOWER, RaftPeerRole.LISTENER) != null;
        return member
                ? new Stop("the group's Raft division is " + division.getInfo().getLifeCycleState()
                        + " (applying the log failed, or it was shut down; see the log above)", false)
                : new Stop("this replica was removed from the cluster", true);
    }

    /** A requested shutdown: stop watching first, so that the close that follows is not reported. */
    @Override
    public void close() {
        closing = true;
        thread.interrupt();
    }
}
