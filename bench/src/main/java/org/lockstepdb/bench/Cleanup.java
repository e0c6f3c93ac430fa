package org.lockstepdb.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The undo list of a benchmark run (stop clusters, delete temporary directories). Each step runs at most once:
 * when its {@link Step} is closed (normal path, try-with-resources) or by {@link #runAll} (newest first), which
 * a JVM shutdown hook calls if the run is interrupted (Ctrl-C).
 */
final class Cleanup {
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private final Deque<Step> steps = new ArrayDeque<>();

    synchronized Step push(String description, Action action) {
        Step step = new Step(description, action);
        steps.push(step);
        return step;
    }

    /** Runs every step not yet run, newest first. */
    void runAll() {
        List<Step> pending;
        synchronized (this) {
            pending = new ArrayList<>(steps);
        }
        for (Step s : pending) {
            s.close();
        }
    }

    final class Step implements AutoCloseable {
        private final String description;
        private final Action action;
        private final AtomicBoolean done = new AtomicBoolean();

        private Step(String description, Action action) {
            this.description = description;
            this.action = action;
        }

        @Override
        public void close() {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                action.run();
            } catch (Exception e) {
                System.err.println("bench: clean-up step '" + description + "' failed: " + e);
            } finally {
                synchronized (Cleanup.this) {
                    steps.remove(this);
                }
            }
        }
    }
}
