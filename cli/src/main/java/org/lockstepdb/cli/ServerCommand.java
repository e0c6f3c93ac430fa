package org.lockstepdb.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import org.lockstepdb.server.LockstepNode;
import org.lockstepdb.server.NodeOptions;
import org.lockstepdb.server.raft.RecoverySkip;
import org.lockstepdb.server.ServingWatch;
import org.lockstepdb.server.raft.ClusterIdentity;
import org.lockstepdb.server.raft.PeerAddresses;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Start one replica. Restarting it with the same flags resumes it from its data directory.",
                "Stops cleanly on SIGTERM or Ctrl-C. Logs go to stderr and to DIR/lockstep.log.",
                "Exits with status " + ServingWatch.EXIT_STOPPED_SERVING + " if the replica stops serving on its own (a JVM pause"
                        + " longer than --close-threshold-ms, a failure applying the log), 0 if it was removed from the cluster."})
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--id", required = true, description = "This replica's id; must be one of --peers.")
    String id;

    @Option(names = "--data", required = true, description = "Data directory of this replica (created if missing).")
    Path data;

    @Option(names = "--peers", required = true,
            description = "All replicas of the cluster: id=host:port,... This node binds only its own address.")
    String peers;

    @Option(names = "--cluster", defaultValue = ClusterIdentity.DEFAULT_NAME,
            description = "Cluster name; all replicas of one cluster use the same (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--max-request-bytes", defaultValue = "" + NodeOptions.DEFAULT_MAX_REQUEST_BYTES,
            description = "Largest write (one log entry) accepted, in bytes (default: ${DEFAULT-VALUE}).")
    int maxRequestBytes;

    @Option(names = "--rpc-timeout-ms", defaultValue = NodeOptions.DEFAULT_RPC_TIMEOUT_MIN_MILLIS + "",
            description = "Raft election timeout lower bound in ms; the upper bound is twice this (default: ${DEFAULT-VALUE}).")
    int rpcTimeoutMillis;

    @Option(names = "--snapshot-interval", defaultValue = "" + NodeOptions.DEFAULT_SNAPSHOT_INTERVAL_ENTRIES,
            description = "Take a snapshot after this many applied log entries and purge the log up to it; 0 turns"
                    + " automatic snapshots off (default: ${DEFAULT-VALUE}).")
    long snapshotInterval;

    @Option(names = "--snapshots-retained", defaultValue = "" + NodeOptions.DEFAULT_SNAPSHOTS_RETAINED,
            description = "Snapshots kept on disk (default: ${DEFAULT-VALUE}).")
    int snapshotsRetained;

    @Option(names = "--bootstrap-from", paramLabel = "FILE",
            description = "Seed this brand-new replica from a backup file (lockstep admin backup). Start every replica "
                + "of the new cluster with the same FILE. Refused if DIR already holds a replica.")
    Path bootstrapFrom;

    @Option(names = "--query-timeout-ms", defaultValue = "" + NodeOptions.DEFAULT_QUERY_TIMEOUT_MILLIS,
            description = "Longest a query may run on this replica, in ms; a client's shorter timeout wins. Past it the "
                + "statement is cancelled inside H2 (SQLState 57014). 0 = no limit (default: ${DEFAULT-VALUE}).")
    long queryTimeoutMillis;

    @Option(names = "--tx-replay-budget-ms", defaultValue = "" + NodeOptions.DEFAULT_TX_REPLAY_BUDGET_MILLIS,
            description = "Longest an interactive transaction's statement may take, together with the re-run of the "
                + "transaction's earlier statements, on its home replica's apply thread, in ms; past it the statement "
                + "is refused (SQLState 54000) and the transaction stays open. Bounds how long every replica's apply "
                + "stalls re-running the transaction at its commit. 0 = no limit (default: ${DEFAULT-VALUE}).")
    long txReplayBudgetMillis;

    @Option(names = "--query-threads", defaultValue = "" + NodeOptions.DEFAULT_QUERY_THREADS,
            description = "Queries that run at once on this replica, each on its own H2 session (default: ${DEFAULT-VALUE}).")
    int queryThreads;

    @Option(names = "--query-queue", defaultValue = "" + NodeOptions.DEFAULT_QUERY_QUEUE_LIMIT,
            description = "Queries that may wait for a query thread; beyond that a query is refused at once "
                + "with SQLState 53400 (default: ${DEFAULT-VALUE}).")
    int queryQueue;

    @Option(names = "--close-threshold-ms", defaultValue = "" + NodeOptions.DEFAULT_CLOSE_THRESHOLD_MILLIS,
            description = {"A JVM pause (GC, SIGSTOP, frozen VM) longer than this makes the replica stop serving and",
                    "the process exit with status " + ServingWatch.EXIT_STOPPED_SERVING + " (default: ${DEFAULT-VALUE})."})
    long closeThresholdMillis;

    @Option(names = "--join", description = "Start as a new replica that is not yet a member: it waits until "
                + "`lockstep admin add-node` adds it. --peers must list at least this replica's own id=address.")
    boolean join;

    @Option(names = "--skip-log-entry", paramLabel = "INDEX", defaultValue = "-1",
            description = "Operator recovery: apply log entry INDEX as a rejected entry (nothing of it is applied) "
                + "once a majority of the replicas was started with the same INDEX. Only for an entry every "
                + "replica fails to apply; see docs/OPERATIONS.md. Remove the flag once the cluster serves again.")
    long skipLogEntry;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(data);
        LogFiles.alsoLogTo(data.resolve("lockstep.log"));
        NodeOptions options;
        try {
            options = new NodeOptions(id, data, PeerAddresses.parse(peers), cluster, maxRequestBytes,
                    rpcTimeoutMillis, 2 * rpcTimeoutMillis, NodeOptions.DEFAULT_STALE_READ_WAIT_MILLIS, snapshotInterval,
                    snapshotsRetained, queryTimeoutMillis, queryThreads, queryQueue, closeThresholdMillis,
                    txReplayBudgetMillis);
        } catch (IllegalArgumentException e) { // a flag's value (the docs promise status 2 for bad flags)
            System.err.println("lockstep server: " + e.getMessage());
            return 2;
        }
        if (bootstrapFrom != null) {
            try {
                var header = LockstepNode.bootstrap(options, bootstrapFrom);
                System.err.println("seeded from " + bootstrapFrom + " (backup of log index " + header.index() + ")");
            } catch (IllegalStateException | org.lockstepdb.storage.InvalidSnapshotException e) {
                System.err.println("lockstep server: " + e.getMessage());
                return 2;
            }
        }
        if (skipLogEntry != RecoverySkip.NONE && (join || skipLogEntry < 1)) {
            System.err.println("lockstep server: --skip-log-entry needs a log index >= 1 and a member (not --join)");
            return 2;
        }
        LockstepNode node = join ? LockstepNode.startJoining(options)
                : LockstepNode.start(options, new RecoverySkip(skipLogEntry));
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (exit.complete(0)) { // SIGTERM / Ctrl-C: a requested, clean stop
                try {
                    node.close();
                } catch (Exception e) {
                    System.err.println("error while stopping: " + e);
                }
            }
        }, "lockstep-shutdown"));
        // Ratis closed the server on its own and left the JVM running: end the process so a supervisor restarts
        // it. (The division's close already closed the store; a store left unclean is rebuilt at the next start.)
        node.stoppedServing().thenAccept(stop -> {
            System.err.println("lockstep server: replica " + id + " stopped serving: " + stop.reason()
                    + (stop.removed() ? "; exiting" : "; exiting with status " + ServingWatch.EXIT_STOPPED_SERVING));
            exit.complete(stop.removed() ? 0 : ServingWatch.EXIT_STOPPED_SERVING);
        });
        System.err.println("LockstepDB replica " + id + " running; JDBC URL: " + options.peers().jdbcUrl());
        return exit.get();
    }
}
