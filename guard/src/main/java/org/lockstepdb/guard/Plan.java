package org.lockstepdb.guard;

import java.util.List;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.SessionValues;
import org.lockstepdb.protocol.sql.StatementKind;

/**
 * The cached verdict for one (mode, text): a rejection, or an acceptance with the splice plan that replaces
 * current-time calls by literals of the leader's stamp and session functions by the client connection's values.
 * A cache hit only formats the literals.
 *
 * @param kind           the statement's kind (null if rejected), handed on so the server classifies once
 * @param classification for tests and logs: {@code deterministic}, {@code deterministic-on-replicas}
 *                       (RAND/UUID seeded by the replicas), {@code rewritten}, {@code rejected}
 * @param path           which reading produced the verdict: {@code calcite+tokens} or {@code tokens}
 */
record Plan(ErrorReply rejection, StatementKind kind, List<Splice> splices, String classification, String path) {
    /**
     * Replace {@code [start, end)} of the original text by the literal of {@code function} at {@code precision},
     * or (when {@code function} is null) by the value of {@code session}.
     */
    record Splice(int start, int end, TimeFunction function, int precision, SessionFunction session) {
        Splice(int start, int end, TimeFunction function, int precision) {
            this(start, end, function, precision, null);
        }

        String literal(long stampMillis, SessionValues values) {
            return function != null ? function.literal(stampMillis, precision) : session.literal(values);
        }
    }

    static Plan rejected(ErrorReply rejection, String path) {
        return new Plan(rejection, null, List.of(), "rejected", path);
    }

    GuardResult apply(String sql, long stampMillis, SessionValues session) {
        if (rejection != null) {
            return GuardResult.reject(rejection);
        }
        if (splices.isEmpty()) {
            return GuardResult.accept(sql, kind);
        }
        StringBuilder out = new StringBuilder(sql.length() + 48 * splices.size());
        int at = 0;
        for (Splice s : splices) {
            out.append(sql, at, s.start()).append(s.literal(stampMillis, session));
            at = s.end();
        }
        return GuardResult.accept(out.append(sql, at, sql.length()).toString(), kind);
    }
}
