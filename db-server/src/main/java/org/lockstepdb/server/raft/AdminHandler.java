package org.lockstepdb.server.raft;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.lockstepdb.protocol.AdminRequest;
import org.lockstepdb.protocol.AdminResult;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.storage.Checksum;
import org.lockstepdb.storage.SqlStore;

/**
 * Administrative operations of one replica. Operations that every replica must perform at the same log
 * index arrive through the log ({@link #LOGGED}); the others are reads answered by one replica.
 *
 * <ul>
 *   <li>{@code verify} (logged): each replica computes the checksum of its user data at this index and keeps
 *       it; the reply carries the leader's.</li>
 *   <li>{@code verify-result} (read, parameter {@code index}): this replica's checksum at that index.</li>
 * </ul>
 */
final class AdminHandler {
    static final Set<String> LOGGED = Set.of("verify");
    /** Checksums kept per replica; an operator compares them within seconds, so a few suffice. */
    private static final int KEPT_VERIFY_RESULTS = 64;

    private final Supplier<SqlStore> store;
    private final String replicaId;
    private final Map<Long, String> verifyResults = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > KEPT_VERIFY_RESULTS;
        }
    };

    AdminHandler(Supplier<SqlStore> store, String replicaId) {
        this.store = store;
        this.replicaId = replicaId;
    }

    /** On the apply thread, at {@code index}: nothing else is applied meanwhile, so the state is exactly that index's. */
    Reply applyLogged(AdminRequest request, long index) {
        if (!"verify".equals(request.operation())) {
            return unknown(request);
        }
        Checksum checksum = store.get().consistentChecksum();
        synchronized (verifyResults) {
            verifyResults.put(index, checksum.hex());
        }
        return AdminResult.of(Map.of("index", Long.toString(index), "checksum", checksum.hex(), "replica", replicaId));
    }

    /** A read served by this replica (the caller has waited until it applied any index the request names). */
    Reply read(AdminRequest request) {
        if (!"verify-result".equals(request.operation())) {
            return unknown(request);
        }
        long index = request.longParameter("index");
        String checksum;
        synchronized (verifyResults) {
            checksum = verifyResults.get(index);
        }
        if (checksum == null) {
            return new ErrorReply("55000", 0, "replica " + replicaId + " holds no verify checksum for log index "
                    + index + " (it restarted, or the result is too old); run verify again");
        }
        return AdminResult.of(Map.of("index", Long.toString(index), "checksum", checksum, "replica", replicaId));
    }

    private static ErrorReply unknown(AdminRequest request) {
        return ServerErrors.invalid("unknown admin operation '" + request.operation() + "'");
    }
}
