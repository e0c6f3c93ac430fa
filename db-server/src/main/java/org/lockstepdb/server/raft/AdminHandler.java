package org.lockstepdb.server.raft;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.lockstepdb.protocol.AdminOperation;
import org.lockstepdb.protocol.AdminRequest;
import org.lockstepdb.protocol.AdminResult;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.WriteResult;
import org.lockstepdb.storage.SnapshotHeader;
import org.lockstepdb.storage.SqlStore;

/**
 * Administrative operations ({@link AdminOperation}) of one replica. Those every replica must perform at the same
 * log index arrive through the log ({@link #applyLogged}); the others are reads answered by one replica
 * ({@link #read}).
 *
 * <p>A {@code verify} entry pins its index on the apply thread; {@link VerifyChecksums} computes the checksum in
 * the background and {@code verify-result} reads it. A {@code backup} entry makes the replica named {@code node}
 * copy that index to a backup file ({@link BackupExports}). The restore entries stage a backup through the log and
 * swap it in at one index on every replica. ({@code recovery-skip} is answered by the state machine itself.)
 */
final class AdminHandler {
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
        AdminOperation operation = request.operation().orElse(null);
        if (operation == null) {
            return unknown(request);
        }
        SqlStore s = store.get();
        switch (operation) {
            case VERIFY: {
                if (s.appliedIndex().index() > index) {
                    // Replayed after a restart with a store that is already further along: its state is not this
                    // index's, so record nothing (verify-result then says so) rather than a wrong checksum.
                    return result("index", index, "replica", replicaId);
                }
                verifies.start(index, s); // pins this index now; the checksum is computed off the apply thread
                return result("index", index, "replica", replicaId);
            }
            case BACKUP: {
                boolean replay = s.appliedIndex().index() >= index; // re-applied after a restart: copied already
                if (!replicaId.equals(request.parameter("node")) || replay) {
                    return result("index", index, "replica", replicaId);
                }
                try {
                    backups.start(request.parameter("id"), s);
                    return result("index", index, "replica", replicaId);
                } catch (IOException | RuntimeException e) {
                    return ServerErrors.ioError("replica " + replicaId + " cannot start the backup: " + e.getMessage());
                }
            }
            case RESTORE_CHUNK:
                return asAdmin(s.restores().stageChunk(term, index, request.parameter("id"),
                        request.longParameter("offset"), request.payload()), index);
            case RESTORE_COMMIT:
                return asAdmin(s.restores().commit(term, index, request.parameter("id"), request.parameter("sha256")), index);
            case RESTORE_ABORT: // without an id: every staged restore (an abandoned upload blocks snapshots)
                return asAdmin(s.restores().abort(term, index, request.parameters().get("id")), index);
            default:
                return unknown(request);
        }
    }

    /** A read served by this replica (the caller has waited until it applied any index the request names). */
    Reply read(AdminRequest request) {
        AdminOperation operation = request.operation().orElse(null);
        if (operation == null) {
            return unknown(request);
        }
        try {
            switch (operation) {
                case VERIFY_RESULT:
                    return verifyResult(request.longParameter("index"));
                case SNAPSHOT_STATUS:
                    return result("latest", snapshots.latestIndex(), "exporting", snapshots.exportingIndex());
                case STATUS: {
                    Map<String, String> values = new LinkedHashMap<>(raftStatus.get());
                    values.put("replica", replicaId);
                    values.put("storeIndex", Long.toString(store.get().appliedIndex().index()));
                    values.put("snapshot", Long.toString(snapshots.latestIndex()));
                    return AdminResult.of(values);
                }
                case BACKUP_STATUS: {
                    SnapshotHeader h = backups.status(request.parameter("id"));
                    return h == null ? result("done", false)
                            : result("done", true, "index", h.index(), "term", h.term(), "size", h.sizeBytes(),
                                    "sha256", h.sha256hex());
                }
                case BACKUP_CHUNK: {
                    byte[] bytes = backups.chunk(request.parameter("id"), request.longParameter("offset"),
                            (int) Math.min(Integer.MAX_VALUE, request.longParameter("length")));
                    return new AdminResult(Map.of("length", Integer.toString(bytes.length)), bytes);
                }
                case CANCEL_QUERY:
                    return result("cancelled", store.get().cancelQuery(request.parameter("id")));
                case BACKUP_DELETE:
                    backups.delete(request.parameter("id"));
                    return result("deleted", true);
                default:
                    return unknown(request);
            }
        } catch (IOException | IllegalArgumentException e) {
            return ServerErrors.ioError("replica " + replicaId + ": " + e.getMessage());
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
            return ServerErrors.notInPrerequisiteState("replica " + replicaId + " holds no verify checksum for log index "
                    + index + " (it restarted, or the result is too old); run verify again");
        }
        try {
            String checksum = outcome.get(VERIFY_RESULT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return result("index", index, "checksum", checksum, "replica", replicaId);
        } catch (TimeoutException e) {
            return result("index", index, "pending", true, "replica", replicaId);
        } catch (ExecutionException e) {
            return ServerErrors.notInPrerequisiteState("replica " + replicaId + " has no verify checksum for log index "
                    + index + ": " + e.getCause().getMessage() + "; run verify again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ServerErrors.interrupted("waiting for the verify checksum");
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
        return ServerErrors.invalid("unknown admin operation '" + request.operationName() + "'");
    }
}
