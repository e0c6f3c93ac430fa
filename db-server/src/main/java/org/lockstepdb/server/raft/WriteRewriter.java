package org.lockstepdb.server.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lockstepdb.guard.GuardResult;
import org.lockstepdb.guard.StatementGuard;
import org.lockstepdb.protocol.ErrorReply;
import org.lockstepdb.protocol.SqlStatement;
import org.lockstepdb.protocol.WriteRequest;
import org.lockstepdb.protocol.sql.DdlAlone;
import org.lockstepdb.protocol.sql.StatementKind;

/**
 * Runs every statement of a write through the determinism guard on the leader, with the one instant stamped on
 * the entry: the result is either the entry to log (time functions spliced to literals) or the first rejection.
 * A rejected statement rejects the whole write, so a batch never reaches the log in part. The guard's
 * classification of each statement then decides the "DDL alone" rule ({@link DdlAlone}): a statement is
 * classified once per request.
 */
final class WriteRewriter {
    /** A write after the guard: either the entry to put in the log, or why nothing goes in. */
    record GuardedWrite(WriteRequest entry, ErrorReply rejection) {
    }

    private final StatementGuard guard;

    WriteRewriter(StatementGuard guard) {
        this.guard = guard;
    }

    GuardedWrite rewrite(WriteRequest write, long stampMillis) {
        if (write.session().reservedForWrites()) {
            return new GuardedWrite(null, write.session().reservedSchemaRefusal());
        }
        List<SqlStatement> statements = new ArrayList<>(write.statements().size());
        List<StatementKind> kinds = new ArrayList<>(write.statements().size());
        for (int i = 0; i < write.statements().size(); i++) {
            SqlStatement s = write.statements().get(i);
            GuardResult verdict = guard.checkWrite(s.sql(), stampMillis, write.session());
            if (!verdict.accepted()) {
                ErrorReply r = verdict.rejection();
                String where = write.statements().size() > 1 ? " (statement " + (i + 1) + " of the batch; nothing was applied)" : "";
                return new GuardedWrite(null, new ErrorReply(r.sqlState(), r.vendorCode(), r.message() + where));
            }
            statements.add(verdict.sql().equals(s.sql()) ? s
                    : new SqlStatement(verdict.sql(), s.parameterSets(), s.generatedKeys()));
            kinds.add(verdict.kind());
        }
        Optional<ErrorReply> notAlone = DdlAlone.check(statements, i -> kinds.get(i).isDdl());
        if (notAlone.isPresent()) {
            return new GuardedWrite(null, notAlone.get());
        }
        // the user is spliced into the statements now; the schema stays: every replica applies the entry in it
        return new GuardedWrite(new WriteRequest(stampMillis, statements, write.session().withoutUser()), null);
    }
}
