package org.lockstepdb.guard;

import java.util.List;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.SessionValues;
import org.lockstepdb.protocol.sql.StatementKind;

/**
 * The cached verdict for one (mode, text): a rejection, or an acceptance with the splice plan that replaces
 * current-time calls by literals of the leader's stamp, random calls in a column default by their seeded forms, and
 * session functions by the client connection's values. A cache hit only formats the literals.
 *
 * @param kind           the statement's kind (null if rejected), handed on so the server classifies once
 * @param classification for tests and logs: {@code deterministic}, {@code deterministic-on-replicas}
 *                       (RAND/UUID seeded by the replicas, clock reads in a DEFAULT pinned to the entry's stamp),
 *                       {@code rewritten}, {@code rejected}
 * @param path           which reading produced the verdict: {@code calcite+tokens} or {@code tokens}
 */
record Plan(ErrorReply rejection, StatementKind kind, List<Splice> splices, String classification, String path) {
    /**
     * Replace {@code [start, end)} of the original text by the literal of {@code function} at {@code precision},
     * by {@code text}, or by the value of {@code session} for the client connection: exactly one is set.
     */
    record Splice(int start, int end, TimeFunction function, int precision, String text, SessionFunction session) {
        static Splice time(int start, int end, TimeFunction function, int precision) {
            return new Splice(start, end, function, precision, null, null);
        }

        static Splice text(int start, int end, String text) {
            return new Splice(start, end, null, -1, text, null);
        }

        static Splice session(int start, int end, SessionFunction session) {
            return new Splice(start, end, null, -1, null, session);
        }

        String replacement(long stampMillis, SessionValues values) {
            if (function != null) {
                return function.literal(stampMillis, precision);
            }
            return text != null ? text : session.literal(values);
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
            out.append(sql, at, s.start()).append(s.replacement(stampMillis, session));
            at = s.end();
        }
        return GuardResult.accept(out.append(sql, at, sql.length()).toString(), kind);
    }
}
