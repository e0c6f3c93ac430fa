package org.lockstepdb.server.it;

import java.util.List;

/**
 * One step of a determinism fuzz run: a write (one statement, or a batch sent as one log entry), a read, a fault
 * on one replica, or a checkpoint. A run is a list of steps, so a minimized failure is written down as one
 * ({@link DeterminismRegressionIT}).
 */
sealed interface FuzzStep {
    /** One write: a single statement ({@code executeUpdate}) or, with several, one {@code executeBatch}. */
    record Write(List<String> sql) implements FuzzStep {
        public Write {
            sql = List.copyOf(sql);
        }

        static Write of(String... sql) {
            return new Write(List.of(sql));
        }

        @Override
        public String toString() {
            return sql.size() == 1 ? sql.get(0) + ";" : "BATCH " + sql;
        }
    }

    /** A query whose every column is a string and whose result is fully ordered: compared row by row. */
    record Read(String sql) implements FuzzStep {
        @Override
        public String toString() {
            return "-- read: " + sql;
        }
    }

    /** How a replica is taken down. */
    enum StopMode {
        /** Clean shutdown: the H2 files are kept and reopened at start. */
        CLEAN,
        /** As after kill -9 / power loss: the clean-shutdown marker is missing, so the H2 files are discarded
         * and the replica rebuilds from its latest snapshot (if any) and the log. */
        CRASH,
        /** Take a snapshot on the replica first, then stop it and delete its H2 database: it rebuilds from that
         * snapshot and replays the log after it. */
        REBUILD
    }

    record Stop(String replica, StopMode mode) implements FuzzStep {
        @Override
        public String toString() {
            return "-- stop " + replica + " (" + mode + ")";
        }
    }

    record Start(String replica) implements FuzzStep {
        @Override
        public String toString() {
            return "-- start " + replica;
        }
    }

    /**
     * Stop {@code replica}, let the leader's log grow past a segment (padding entries), snapshot on the leader
     * so its log is purged, then start {@code replica}: it must install the leader's snapshot.
     */
    record InstallFromLeader(String replica) implements FuzzStep {
        @Override
        public String toString() {
            return "-- " + replica + " installs the leader's snapshot after a purge";
        }
    }

    /** {@code admin verify}: every replica's checksum at one log index, compared with each other and the reference. */
    record Verify() implements FuzzStep {
        @Override
        public String toString() {
            return "-- verify";
        }
    }
}
