package org.lockstepdb.server.raft;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.lockstepdb.protocol.AdminRequest;
import org.lockstepdb.protocol.AdminResult;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.WriteResult;
import org.lockstepdb.storage.SnapshotHeader;
import org.lockstepdb.storage.SqlStore;

/**
 * Administrative operations of one replica. Those every replica must perform at the same log index arrive
 * through the log ({@link #LOGGED}); the others are reads answered by one replica.
 *
 * <p>Logged: {@code verify} (checksum of all user data at this index, pinned on the apply thread and computed in
 * the background by {@link VerifyChecksums}, read with {@code verify-result});
 * {@code backup} (the replica named {@code node} pins this index and copies it to a backup file);
 * {@code restore-chunk}, {@code restore-commit}, {@code restore-abort} (a backup staged through the log and
 * swapped in at one index on every replica). Reads: {@code status}, {@code verify-result}, {@code snapshot-status},
 * {@code backup-status}, {@code backup-chunk}, {@code backup-delete}, {@code cancel-query} (a client's
 * {@code Statement.cancel()}: stops the query it runs under that id on this replica).
 */
final class AdminHandler {
    static final Set<String> LOGGED = Set.of("verify", "backup", "restore-chunk", "restore-commit", "restore-abort");
    /**
     * How long {@code verify-result} waits for a checksum still being computed before it answers
     * {@code pending=true} (the client asks again): well below any client's request timeout.
     */
    private static final long VERIFY_RESULT_WAIT_MILLIS = 2_000;

    private final Supplier<SqlStore> store;
    private final String replicaId;
    private final SnapshotKeeper snapshots;
    private final BackupExports backups;
    private final Supplier<Map<String, String>> raftStatus;
    private final VerifyChecksums verifies = new VerifyChecksums();

    AdminHandler(Supplier<SqlStore> store, String replicaId, SnapshotKeeper snapshots, BackupExports backups,
                 Supplier<Map<String, String>> raftStatus) {
        this.store = store;
        this.replicaId = replicaId;
        this.snapshots = snapshots;
        this.backups = backups;
        this.raftStatus = raftStatus;
    }

    /** On the apply thread, at {@code index}: nothing else is applied meanwhile. */
    Reply applyLogged(AdminRequest request, long term, long index) {
        SqlStore s = store.get();
        switch (request.operation()) {
            case "verify": {
                if (s.appliedIndex().index() > index) {
                    // Replayed after a restart with a store that is already further along: its state is not this
                    // index's, so record nothing (verify-result then says so) rather than a wrong checksum.
                    return result("index", index, "replica", replicaId);
                }
                verifies.start(index, s); // pins this index now; the checksum is computed off the apply thread
                return result("index", index, "replica", replicaId);
            }
            case "backup": {
                boolean replay = s.appliedIndex().index() >= index; // re-applied after a restart: copied already
                if (!replicaId.equals(request.parameter("node")) || replay) {
                    return result("index", index, "replica", replicaId);
                }
                try {
                    backups.start(request.parameter("id"), s);
                    return result("index", index, "replica", replicaId);
                } catch (IOException | RuntimeException e) {
                    return new ErrorReply("58030", 0, "replica " + replicaId + " cannot start the backup: " + e.getMessage());
                }
            }
            case "restore-chunk":
                return asAdmin(s.restores().stageChunk(term, index, request.parameter("id"),
                        request.longParameter("offset"), request.payload()), index);
            case "restore-commit":
                return asAdmin(s.restores().commit(term, index, request.parameter("id"), request.parameter("sha256")), index);
            case "restore-abort": // without an id: every staged restore (an abandoned upload blocks snapshots)
                return asAdmin(s.restores().abort(term, index, request.parameters().get("id")), index);
            default:
                return unknown(request);
        }
    }

    /** A read served by this replica (the caller has waited until it applied any index the request names). */
    Reply read(AdminRequest request) {
        try {
            switch (request.operation()) {
                case "verify-result":
                    return verifyResult(request.longParameter("index"));
                case "snapshot-status":
                    return result("latest", snapshots.latestIndex(), "exporting", snapshots.exportingIndex());
                case "status": {
                    Map<String, String> values = new LinkedHashMap<>(raftStatus.get());
                    values.put("replica", replicaId);
                    values.put("storeIndex", Long.toString(store.get().appliedIndex().index()));
                    values.put("snapshot", Long.toString(snapshots.latestIndex()));
                    return AdminResult.of(values);
                }
                case "backup-status": {
                    SnapshotHeader h = backups.status(request.parameter("id"));
                    return h == null ? result("done", false)
                            : result("done", true, "index", h.index(), "term", h.term(), "size", h.sizeBytes(),
                                    "sha256", h.sha256hex());
                }
                case "backup-chunk": {
                    byte[] bytes = backups.chunk(request.parameter("id"), request.longParameter("offset"),
                            (int) Math.min(Integer.MAX_VALUE, request.longParameter("length")));
                    return new AdminResult(Map.of("length", Integer.toString(bytes.length)), bytes);
                }
                case "cancel-query":
                    return result("cancelled", store.get().cancelQuery(request.parameter("id")));
                case "backup-delete":
                    backups.delete(request.parameter("id"));
                    return result("deleted", true);
                default:
                    return unknown(request);
            }
        } catch (IOException | IllegalArgumentException e) {
            return new ErrorReply("58030", 0, "replica " + replicaId + ": " + e.getMessage());
        }
    }

    /**
     * The checksum of the verify entry at {@code index}; {@code pending=true} while it is still being computed
     * (after a short wait); 55000 if this replica has none (restarted, too old, or a schema change or restore
     * overlapped the computation).
     */
    private Reply verifyResult(long index) {
        CompletableFuture<String> outcome = verifies.outcome(index);
        if (outcome == null) {
            return new ErrorReply("55000", 0, "replica " + replicaId + " holds no verify checksum for log index "
                    + index + " (it restarted, or the result is too old); run verify again");
        }
        try {
            String checksum = outcome.get(VERIFY_RESULT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return result("index", index, "checksum", checksum, "replica", replicaId);
        } catch (TimeoutException e) {
            return result("index", index, "pending", true, "replica", replicaId);
        } catch (ExecutionException e) {
            return new ErrorReply("55000", 0, "replica " + replicaId + " has no verify checksum for log index "
                    + index + ": " + e.getCause().getMessage() + "; run verify again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ErrorReply("57014", 0, "interrupted while waiting for the verify checksum");
        }
    }

    /** Stops computing checksums (the replica closes). */
    void close() {
        verifies.close();
    }

    /**
     * Store operations answer like writes (empty: applied before a restart); admin clients expect an
     * {@link AdminResult} (errors pass through).
     */
    private static Reply asAdmin(Optional<Reply> reply, long index) {
        return reply.filter(r -> !(r instanceof WriteResult)).orElseGet(() -> result("index", index));
    }

    private static AdminResult result(Object... keysAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], String.valueOf(keysAndValues[i + 1]));
        }
        return AdminResult.of(values);
    }

    private static ErrorReply unknown(AdminRequest request) {
        return ServerErrors.invalid("unknown admin operation '" + request.operation() + "'");
    }
}
