package org.lockstepdb.server.raft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.lockstepdb.guard.GuardResult;
import org.lockstepdb.guard.StatementGuard;
import org.lockstepdb.protocol.AdminOperation;
import org.lockstepdb.protocol.AdminRequest;
import org.lockstepdb.protocol.AdminResult;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.MessageCodec;
import org.lockstepdb.protocol.NewerFormatException;
import org.lockstepdb.protocol.ProtocolException;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.Request;
import org.lockstepdb.protocol.TxCommitRequest;
import org.lockstepdb.protocol.TxStatementRequest;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.WriteResult;
import org.lockstepdb.storage.InvalidSnapshotException;
import org.lockstepdb.storage.OfflineRestore;
import org.lockstepdb.storage.SnapshotFile;
import org.lockstepdb.storage.SqlStore;
import org.lockstepdb.storage.StoreFailureException;
import org.lockstepdb.storage.StoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine: a thin adapter between Ratis callbacks and {@link SqlStore}.
 *
 * <ul>
 *   <li>{@code startTransaction} (leader only) admits or refuses a write, runs it through the determinism
 *       guard and stamps the leader's clock on it; the stamped, rewritten bytes are what every replica
 *       applies.</li>
 *   <li>{@code applyTransaction} (every replica, log order, one thread) hands the entry and its client call
 *       ({@link ClientCalls}) to the store, which applies it atomically with the stored applied index, once per
 *       call. SQL errors are replies, not failures; a store failure (I/O, corruption) is thrown so Ratis stops
 *       this replica instead of letting it diverge. Before the first entry reaches a newly opened store,
 *       {@link ReplayGate} checks that the store belongs to this Raft log.</li>
 *   <li>{@code query}/{@code queryStale} hand reads to a bounded {@link QueryExecutor}: they run (guarded) on the
 *       store's own connections, concurrently with apply, never on Ratis' apply or RPC threads, each bounded by
 *       the shorter of the client's and the replica's query timeout. An interactive transaction's next operation
 *       ({@code TxStatementRequest}) goes to a small executor of its own, guarded ({@link TransactionGuard}) and
 *       speculated by the store under its apply lock; its commit is a log entry like a write.</li>
 *   <li>Admin operations ({@link AdminHandler}), snapshots ({@link SnapshotKeeper}) and backups
 *       ({@link BackupExports}) live in their own classes; {@code initialize}/{@code reinitialize} decide
 *       whether the store is rebuilt from a snapshot.</li>
 * </ul>
 */
public final class LockstepStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(LockstepStateMachine.class);

    private final Path databaseDir;
    private final WriteAdmission admission;
    /** Shared by writes (on the leader) and reads (on any replica): one verdict cache. */
    private final StatementGuard guard = new StatementGuard();
    private final WriteRewriter rewriter = new WriteRewriter(guard);
    private final long staleReadWaitMillis;
    private final LongSupplier clock;
    private final SimpleStateMachineStorage snapshotStorage = new SimpleStateMachineStorage();
    private final AppliedIndexWaiters appliedWaiters = new AppliedIndexWaiters();
    private final SnapshotKeeper snapshots = new SnapshotKeeper(snapshotStorage);
    private final BackupExports backups;
    private final StoreOptions storeOptions;
    /** SQL queries: as many threads as the store has query sessions. */
    private final QueryExecutor queries;
    /** Admin reads (status, verify-result, backup chunks) do not queue behind slow queries. */
    private final QueryExecutor adminReads = new QueryExecutor("lockstep-admin-read", 2, 64);
    /**
     * Interactive transactions' speculations: they run under the store's apply lock, one at a time, so more
     * threads would only wait there; not the query pool, so a slow query never holds a transaction up.
     */
    private final QueryExecutor speculations = new QueryExecutor("lockstep-tx", 2, 256);
    private final TransactionGuard transactionGuard;
    private volatile SqlStore store;
    /** Whether the store was rebuilt after its database was discarded following a crash (this open). */
    private volatile boolean storeRebuiltAfterCrash;
    private volatile AdminHandler adminHandler;
    private final OperatorSkips skips;
    private volatile boolean removedFromGroup;
    private final ReplayGate replayGate = new ReplayGate(this::raftLog, this::latestSnapshotContents);

    public LockstepStateMachine(Path databaseDir, int maxRequestBytes, long staleReadWaitMillis, LongSupplier clock) {
        this(databaseDir, maxRequestBytes, staleReadWaitMillis, clock, StoreOptions.defaults(), 256);
    }

    /**
     * @param storeOptions    the store's query limits; its query connections are also the query threads
     * @param queryQueueLimit queries that may wait for a query thread before new ones are refused (53400)
     */
    public LockstepStateMachine(Path databaseDir, int maxRequestBytes, long staleReadWaitMillis, LongSupplier clock,
                                StoreOptions storeOptions, int queryQueueLimit) {
        this.databaseDir = databaseDir;
        this.skips = new OperatorSkips(databaseDir);
        this.backups = new BackupExports(databaseDir.resolveSibling("backups"));
        this.admission = new WriteAdmission(maxRequestBytes);
        this.transactionGuard = new TransactionGuard(guard, admission);
        this.staleReadWaitMillis = staleReadWaitMillis;
        this.clock = clock;
        this.storeOptions = storeOptions;
        this.queries = new QueryExecutor("lockstep-query", storeOptions.queryConnections(), queryQueueLimit);
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            snapshotStorage.init(raftStorage);
            adminHandler = new AdminHandler(() -> store, server.getId().toString(), snapshots, backups, this::raftStatus);
            openStore(false);
        });
    }

    /**
     * Opens the store so that, together with the Raft log after the latest snapshot, it holds every entry once.
     * The store is used as it is when it already holds at least what the snapshot holds (a clean restart);
     * otherwise (a fresh or crashed store, or a snapshot just installed from the leader) it is rebuilt from the
     * snapshot, because the log before the snapshot may be purged. Ratis then replays the log after the
     * snapshot; the store skips entries it already applied.
     */
    private void openStore(boolean snapshotInstalled) throws IOException {
        SingleFileSnapshotInfo snapshot = snapshotStorage.loadLatestSnapshot();
        // Readers keep seeing the previous (closed) store until the new one is ready: an error, never a null.
        SqlStore opened = SqlStore.open(databaseDir, storeOptions);
        boolean crashed = opened.recoveredFromCrash();
        if (snapshot != null) {
            Path file = snapshot.getFile().getPath();
            try {
                if (snapshotInstalled || opened.appliedIndex().index() < SnapshotFile.indexOf(file)) {
                    LOG.info("{}: rebuilding the database from snapshot {}", getId(), file);
                    opened.close();
                    OfflineRestore.restoreFrom(databaseDir, file); // verifies the whole file first; changes nothing if bad
                    opened = SqlStore.open(databaseDir, storeOptions);
                }
            } catch (InvalidSnapshotException e) {
                opened.close();
                // A snapshot that fails its checks is refused, loudly, and never loaded.
                LOG.error("{}: refusing snapshot {}: {}", getId(), file, e.getMessage());
                throw new IOException("refusing corrupt snapshot " + file + ": " + e.getMessage(), e);
            }
        }
        try {
            opened.bindRaftGroup(getGroupId().getUuid().toString());
        } catch (IOException e) {
            opened.close();
            LOG.error("{}: {}", getId(), e.getMessage());
            throw e;
        }
        storeRebuiltAfterCrash = crashed;
        store = opened;
        setLastAppliedTermIndex(snapshot == null ? TermIndex.valueOf(0, -1) : snapshot.getTermIndex());
        if (snapshot != null) {
            appliedWaiters.applied(snapshot.getIndex()); // stale reads waiting for an index the snapshot covers
        }
        LOG.info("{}: database at {} holds the log up to index {} (latest snapshot: {})", getId(), databaseDir,
                store.appliedIndex().index(), snapshot == null ? "none" : snapshot.getTermIndex());
    }

    private org.apache.ratis.server.raftlog.RaftLog raftLog() {
        try {
            return getServer().get().getDivision(getGroupId()).getRaftLog();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("no Raft server", e);
        }
    }

    /** The last entry the latest snapshot's database holds (its file header), or null if there is none. */
    private org.lockstepdb.storage.AppliedIndex latestSnapshotContents() {
        SingleFileSnapshotInfo snapshot = snapshotStorage.getLatestSnapshot();
        if (snapshot == null) {
            return null;
        }
        try {
            return SnapshotFile.appliedIndexOf(snapshot.getFile().getPath());
        } catch (IOException | InvalidSnapshotException e) {
            throw new IllegalStateException("cannot read the header of snapshot " + snapshot.getFile().getPath(), e);
        }
    }

    /**
     * Checks, once per opened store, that its applied entry is this Raft log's entry (see {@link ReplayCheck}).
     * Call after the server started (the log is open then); the first apply calls it too.
     *
     * @throws IOException if the database must not replay this log
     */
    public void checkReplay() throws IOException {
        replayGate.check(store, storeRebuiltAfterCrash);
    }

    /** This replica's Raft view for {@code admin status}: role, term, leader, commit and applied index. */
    private Map<String, String> raftStatus() {
        Map<String, String> status = new LinkedHashMap<>();
        try {
            DivisionInfo info = getServer().get().getDivision(getGroupId()).getInfo();
            status.put("role", String.valueOf(info.getCurrentRole()));
            status.put("term", Long.toString(info.getCurrentTerm()));
            status.put("leader", String.valueOf(info.getLeaderId()));
            status.put("applied", Long.toString(info.getLastAppliedIndex()));
        } catch (Exception e) {
            status.put("role", "UNKNOWN (" + e.getMessage() + ")");
        }
        return status;
    }

    @Override
    public long takeSnapshot() {
        return snapshots.takeSnapshot(store, getLastAppliedTermIndex());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshotStorage;
    }

    /**
     * Leader only: decide what enters the log. A write must pass {@link WriteAdmission} and the determinism
     * guard, and is logged stamped and rewritten; a refusal never reaches the log.
     */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext.Builder trx = TransactionContext.newBuilder().setStateMachine(this).setClientRequest(request);
        byte[] bytes = request.getMessage().getContent().toByteArray();
        Request decoded;
        try {
            decoded = MessageCodec.decodeRequest(bytes);
        } catch (ProtocolException e) {
            return refuse(trx, ServerErrors.protocol(e.getMessage()));
        }
        if (decoded instanceof AdminRequest a && a.throughLog()) {
            Optional<ErrorReply> tooLarge = admission.checkSize(bytes.length);
            return tooLarge.isPresent() ? refuse(trx, tooLarge.get())
                    : trx.setLogData(request.getMessage().getContent()).build();
        }
        if (decoded instanceof TxCommitRequest commit) {
            TransactionGuard.Guarded<TxCommitRequest> guarded = transactionGuard.commit(commit, bytes.length);
            return guarded.rejection() != null ? refuse(trx, guarded.rejection())
                    : trx.setLogData(ByteString.copyFrom(MessageCodec.encode(guarded.request()))).build();
        }
        if (!(decoded instanceof WriteRequest write)) {
            return refuse(trx, ServerErrors.protocol("only writes, transaction commits and logged admin operations go "
                    + "through the log"));
        }
        Optional<ErrorReply> refusal = admission.check(write, bytes.length);
        if (refusal.isPresent()) {
            return refuse(trx, refusal.get());
        }
        WriteRewriter.GuardedWrite outcome = rewriter.rewrite(write, clock.getAsLong());
        if (outcome.rejection() != null) {
            return refuse(trx, outcome.rejection());
        }
        return trx.setLogData(ByteString.copyFrom(MessageCodec.encode(outcome.entry()))).build();
    }

    /** Ratis has no reply without a log entry; the error travels in the exception's message. */
    private TransactionContext refuse(TransactionContext.Builder trx, ErrorReply error) {
        TransactionContext refused = trx.build();
        refused.setException(new StateMachineException(error.toExceptionMessage()));
        return refused;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        try {
            return applyEntry(trx);
        } catch (StoreFailureException e) {
            if (getLifeCycleState() == LifeCycle.State.PAUSING || getLifeCycleState() == LifeCycle.State.PAUSED) {
                // Ratis installs the leader's snapshot (pause() closed the store) while its updater still applies
                // older committed entries: the snapshot holds them, so they are left to it instead of stopping the
                // replica on a closed store.
                LOG.info("{}: log entry {} left to the snapshot being installed", getId(), trx.getLogEntry().getIndex());
                return CompletableFuture.completedFuture(toMessage(new WriteResult(trx.getLogEntry().getIndex(), List.of())));
            }
            throw e;
        }
    }

    private CompletableFuture<Message> applyEntry(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        try {
            checkReplay(); // before the first entry reaches a newly opened store
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e); // Ratis stops this replica
        }
        Reply reply;
        if (skips.skips(index)) {
            reply = skipByOperator(entry.getTerm(), index);
        } else try {
            Request request = MessageCodec.decodeRequest(entry.getStateMachineLogEntry().getLogData().toByteArray());
            if (request instanceof AdminRequest admin) {
                reply = adminHandler.applyLogged(admin, entry.getTerm(), index);
            } else if (request instanceof WriteRequest write) {
                // empty: applied before a restart, and its call is no longer remembered
                reply = store.apply(entry.getTerm(), index, write, ClientCalls.of(entry))
                        .orElseGet(() -> ClientCalls.replyForgotten(index));
            } else if (request instanceof TxCommitRequest commit) {
                reply = store.apply(entry.getTerm(), index, commit, ClientCalls.of(entry))
                        .orElseGet(() -> ClientCalls.replyForgotten(index));
            } else {
                throw new ProtocolException("log entry " + index + " is neither a write nor an admin operation");
            }
        } catch (NewerFormatException e) {
            // newer replicas apply this entry: answering it as an error here would skip it on this one only
            throw new IllegalStateException("log entry " + index + " needs a newer LockstepDB: " + e.getMessage(), e);
        } catch (ProtocolException e) {
            // The same bytes fail the same way on every replica: a deterministic error reply.
            reply = ServerErrors.protocol(e.getMessage());
        }
        // A StoreFailureException (disk, corruption) propagates: Ratis then stops this replica.
        updateLastAppliedTermIndex(entry.getTerm(), index);
        replayGate.applied(store);
        appliedWaiters.applied(index);
        return CompletableFuture.completedFuture(toMessage(reply));
    }

    /** {@code --skip-log-entry}: once a majority was started with the same flag, the entry applies as rejected. */
    private Reply skipByOperator(long term, long index) {
        return skips.skip(store, term, index, skip -> skip.awaitMajority(getGroupId(),
                getServer().join().getDivision(getGroupId()).getRaftConf().getCurrentPeers(), getId()));
    }

    /**
     * Operator recovery ({@code lockstep server --skip-log-entry}); set before the Raft server starts.
     *
     * @param skip the log index to apply as a rejected entry once a majority agrees
     */
    public void setRecoverySkip(RecoverySkip skip) {
        skips.set(skip);
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        appliedWaiters.applied(index);
    }

    /** Called on a Ratis thread once the read index is applied: only hands the read to the executor. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return read(request, System.nanoTime());
    }

    /**
     * Waits (bounded) until this replica applied {@code minIndex}, then hands the read to the executor. The
     * waiter completes on the apply thread, which therefore only submits the read, never runs it.
     */
    @Override
    public CompletableFuture<Message> queryStale(Message request, long minIndex) {
        long arrivedNanos = System.nanoTime();
        return appliedWaiters.awaitApplied(minIndex, staleReadWaitMillis)
                .handle((ok, error) -> error == null)
                .thenCompose(reached -> reached ? read(request, arrivedNanos)
                        : CompletableFuture.completedFuture(toMessage(ServerErrors.readTimeout(minIndex, staleReadWaitMillis))));
    }

    private CompletableFuture<Message> read(Message message, long arrivedNanos) {
        Request request;
        byte[] bytes = message.getContent().toByteArray();
        try {
            request = MessageCodec.decodeRequest(bytes);
        } catch (ProtocolException e) {
            return CompletableFuture.completedFuture(toMessage(ServerErrors.protocol(e.getMessage())));
        }
        CompletableFuture<Reply> reply;
        if (request instanceof QueryRequest query) {
            reply = queries.submit(() -> runQuery(query, arrivedNanos));
        } else if (request instanceof TxStatementRequest tx) {
            reply = speculations.submit(() -> speculate(tx, bytes.length));
        } else if (request instanceof AdminRequest admin && admin.is(AdminOperation.RECOVERY_SKIP)) {
            // answered at once: a replica waiting to skip an entry asks while its own apply thread is held
            reply = CompletableFuture.completedFuture(AdminResult.of(Map.of("index", Long.toString(skips.current().index()))));
        } else if (request instanceof AdminRequest admin && !admin.throughLog()) {
            reply = adminReads.submit(() -> adminHandler.read(admin));
        } else {
            reply = CompletableFuture.completedFuture(
                    ServerErrors.protocol("a write was sent as a read; writes must go through the log"));
        }
        return reply.thenApply(LockstepStateMachine::toMessage);
    }

    /** On a query thread: the client's timeout counts from the request's arrival (waiting included). */
    private Reply runQuery(QueryRequest query, long arrivedNanos) {
        QueryRequest bounded = query;
        if (query.timeoutMillis() > 0) {
            long left = query.timeoutMillis() - (System.nanoTime() - arrivedNanos) / 1_000_000;
            if (left <= 0) {
                return ServerErrors.expiredBeforeStart(query.timeoutMillis());
            }
            bounded = query.withTimeoutMillis(left);
        }
        GuardResult verdict = guard.checkRead(query.sql(), query.session());
        return verdict.accepted() ? store.query(bounded.withSql(verdict.sql())) : verdict.rejection();
    }

    /**
     * On a speculation thread: the transaction's next operation, guarded with the transaction's stamp (a first
     * request gets this replica's clock), run by the store under its apply lock between two entries.
     */
    private Reply speculate(TxStatementRequest request, int encodedBytes) {
        TransactionGuard.Guarded<TxStatementRequest> guarded =
                transactionGuard.speculation(request, encodedBytes, clock.getAsLong());
        return guarded.rejection() != null ? guarded.rejection()
                : transactionGuard.afterSpeculation(request, store.speculate(guarded.request()));
    }

    private static Message toMessage(Reply reply) {
        return Message.valueOf(ByteString.copyFrom(MessageCodec.encode(reply)));
    }

    /**
     * Ratis shuts a division down on its own when a voter answers its vote request with "shut down": the peer
     * is no longer in the configuration (it was removed). {@code allServer} is true when the whole server closes.
     */
    @Override
    public void notifyServerShutdown(org.apache.ratis.proto.RaftProtos.RoleInfoProto roleInfo, boolean allServer) {
        if (!allServer) {
            removedFromGroup = true;
        }
    }

    /** True once Ratis shut this replica's division down because the cluster no longer includes it. */
    public boolean removedFromGroup() {
        return removedFromGroup;
    }

    /** This replica's store, for in-process inspection (tests, checksums). */
    public SqlStore store() {
        return store;
    }

    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        snapshots.cancel();
        closeStore();
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        openStore(true); // Ratis calls this after installing the leader's snapshot
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public void close() throws IOException {
        queries.close();
        speculations.close();
        adminReads.close();
        AdminHandler admin = adminHandler;
        if (admin != null) {
            admin.close();
        }
        snapshots.close();
        backups.close();
        closeStore();
        super.close();
    }

    private void closeStore() {
        SqlStore s = store;
        if (s != null) {
            s.close();
        }
    }
}
