package org.lockstepdb.server;

import java.io.IOException;

import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.lockstepdb.server.raft.ClusterIdentity;
import org.lockstepdb.server.raft.LockstepStateMachine;
import org.lockstepdb.server.raft.RaftSettings;
import org.lockstepdb.server.raft.RecoverySkip;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One LockstepDB replica: a Ratis server with the SQL state machine. Restarting with the same options resumes it. */
public final class LockstepNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LockstepNode.class);

    private final NodeOptions options;
    private final LockstepStateMachine stateMachine;
    private final RaftServer server;
    private final ServingWatch watch;

    private LockstepNode(NodeOptions options, LockstepStateMachine stateMachine, RaftServer server, RaftGroupId groupId) {
        this.options = options;
        this.stateMachine = stateMachine;
        this.server = server;
        this.watch = new ServingWatch(server, groupId, stateMachine::removedFromGroup);
        watch.start();
    }

    public static LockstepNode start(NodeOptions options) throws IOException {
        return start(options, new RecoverySkip(RecoverySkip.NONE));
    }

    /**
     * Starts a member with operator recovery: log entry {@code skip.index()} is applied as a rejected entry once
     * a majority of the replicas was started with the same index ({@code lockstep server --skip-log-entry}).
     */
    public static LockstepNode start(NodeOptions options, RecoverySkip skip) throws IOException {
        return start(options, RaftGroup.valueOf(ClusterIdentity.groupId(options.clusterName()),
                options.peers().toRaftPeers()), skip);
    }

    /**
     * Seeds a brand-new replica's database from a backup ({@code --bootstrap-from}), before it first starts.
     * Every replica of the new cluster must be seeded from the same file: the new cluster's log starts at 1.
     *
     * @throws IllegalStateException if the data directory already holds a replica
     */
    public static org.lockstepdb.storage.SnapshotHeader bootstrap(NodeOptions options, java.nio.file.Path backup)
            throws IOException, org.lockstepdb.storage.InvalidSnapshotException {
        if (java.nio.file.Files.exists(options.raftDir())) {
            throw new IllegalStateException("--bootstrap-from only seeds a brand-new replica, but "
                    + options.dataDir() + " already holds one");
        }
        return org.lockstepdb.storage.OfflineRestore.bootstrapFrom(options.databaseDir(), backup);
    }

    /**
     * Starts a new replica that is not yet a member: it knows only the group id and waits until the cluster adds
     * it (a membership change through the leader), then catches up from the leader's snapshot and log.
     */
    public static LockstepNode startJoining(NodeOptions options) throws IOException {
        return start(options, RaftGroup.valueOf(ClusterIdentity.groupId(options.clusterName())),
                new RecoverySkip(RecoverySkip.NONE));
    }

    private static LockstepNode start(NodeOptions options, RaftGroup group, RecoverySkip skip) throws IOException {
        JulLogging.routeToSlf4j();
        pinLocale();
        refuseOtherGroups(options, group.getGroupId());
        LockstepStateMachine sm = new LockstepStateMachine(options.databaseDir(), options.maxRequestBytes(),
                options.staleReadWaitMillis(), System::currentTimeMillis, options.storeOptions(),
                options.queryQueueLimit());
        sm.setRecoverySkip(skip);
        RaftServer server = RaftServer.newBuilder()
                .setServerId(RaftPeerId.valueOf(options.id()))
                .setGroup(group)
                .setStateMachine(sm)
                .setProperties(RaftSettings.forNode(options))
                // RECOVER formats an empty directory and resumes an existing one; FORMAT would refuse a restart.
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        try {
            server.start();
            // The Raft log is open now: refuse a database that does not belong to it before serving anything
            sm.checkReplay();
        } catch (IOException | RuntimeException e) {
            // e.g. a corrupt snapshot refused at initialize, a database of another group or log: release the
            // ports and the storage lock, so that
            // the operator (or a test) can fix the cause and start the replica again in this process
            try {
                server.close();
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        LOG.info("node {} serving on {} (data {})", options.id(), options.peers().addressOf(options.id()), options.dataDir());
        return new LockstepNode(options, sm, server, group.getGroupId());
    }

    /**
     * Ratis starts every group it finds under the storage directory, all on this one state machine; a data
     * directory of another cluster (a changed --cluster name, a copied directory) would run two logs into one
     * database. Refused before anything starts, with the reason.
     */
    private static void refuseOtherGroups(NodeOptions options, org.apache.ratis.protocol.RaftGroupId expected)
            throws IOException {
        java.nio.file.Path raftDir = options.raftDir();
        if (!java.nio.file.Files.isDirectory(raftDir)) {
            return;
        }
        try (var dirs = java.nio.file.Files.list(raftDir)) {
            for (java.nio.file.Path d : dirs.filter(java.nio.file.Files::isDirectory).toList()) {
                String name = d.getFileName().toString();
                if (name.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
                        && !name.equals(expected.getUuid().toString())) {
                    throw new IOException("the data directory " + options.dataDir() + " holds the Raft log of group "
                            + name + ", but cluster name '" + options.clusterName() + "' is group "
                            + expected.getUuid() + ": refusing to start. Start it with the --cluster it was created "
                            + "with, or give this replica an empty data directory");
                }
            }
        }
    }

    /**
     * H2's UPPER/LOWER and case-insensitive comparisons use the JVM's default locale, so a Turkish or
     * Lithuanian host would store different data than its peers. Every replica runs with the root locale.
     */
    private static void pinLocale() {
        if (!java.util.Locale.getDefault().equals(java.util.Locale.ROOT)) {
            LOG.info("setting the JVM default locale from {} to ROOT so SQL case conversions match on every replica",
                    java.util.Locale.getDefault());
            java.util.Locale.setDefault(java.util.Locale.ROOT);
        }
    }

    public NodeOptions options() {
        return options;
    }

    public String id() {
        return options.id();
    }

    public LockstepStateMachine stateMachine() {
        return stateMachine;
    }

    public RaftServer raftServer() {
        return server;
    }

    public boolean isLeader() throws IOException {
        return server.getDivision(ClusterIdentity.groupId(options.clusterName())).getInfo().isLeader();
    }

    /**
     * Completes when this replica stops serving without {@link #close()}: Ratis closed its server (a JVM pause
     * longer than {@link NodeOptions#closeThresholdMillis()}, a failure applying the log) or it was removed from
     * the cluster. {@code lockstep server} then exits so that a supervisor restarts it.
     */
    public java.util.concurrent.CompletableFuture<ServingWatch.Stop> stoppedServing() {
        return watch.stopped();
    }

    @Override
    public void close() throws IOException {
        watch.close(); // a requested stop is not a failure
        server.close();
        LOG.info("node {} stopped", options.id());
    }
}
