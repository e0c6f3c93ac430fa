package org.lockstepdb.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of the interactive-transaction messages (format version 3, 5 with the connection's session, 7 with
 * a schema switch in the script, see {@link MessageCodec}): statements
 * use {@link MessageCodec}'s statement layout, replies nested in a {@link TxStatementResult} are whole encoded
 * replies, so there is one encoding of every value.
 *
 * <pre>
 * txId      = clientId:string sequence:int64
 * op        = kind:byte (STATEMENT: statement | else: name:string)  (kind 4 SET_SCHEMA: format version 7 only)
 * outcome   = tag:byte (1 ROWS: digest:bytes | 2 COUNT: n:int32 count:int64* keysDigest:bytes
 *                       | 3 ERROR: sqlState:string vendorCode:int32)
 * step      = op outcome
 * TX_STATEMENT        = txId stampMillis:int64 n:int32 step* op timeoutMillis:int64 [session]
 * TX_COMMIT           = txId stampMillis:int64 n:int32 step* [session]
 * session             = user:string schema:string   (format version 5 on; older: the default session)
 * TX_STATEMENT_RESULT = stampMillis:int64 appliedIndex:int64 result:bytes(encoded reply) outcome
 * </pre>
 */
final class TxCodec {
    private static final int OUTCOME_ROWS = 1;
    private static final int OUTCOME_COUNT = 2;
    private static final int OUTCOME_ERROR = 3;

    private TxCodec() {
    }

    /** The session follows only when {@code withSession} (format version 5). */
    static void writeStatementRequest(WireOutput out, TxStatementRequest r, boolean withSession) {
        writeTxId(out, r.txId());
        out.writeLong(r.stampMillis());
        writeSteps(out, r.done());
        writeOp(out, r.next());
        out.writeLong(r.timeoutMillis());
        if (withSession) {
            MessageCodec.writeSession(out, r.session());
        }
    }

    static TxStatementRequest readStatementRequest(WireInput in, int version) {
        TxId id = readTxId(in);
        long stamp = in.readLong();
        List<TxStep> done = readSteps(in, version);
        TxOp next = readOp(in, version);
        long timeout = in.readLong();
        return new TxStatementRequest(id, stamp, done, next, timeout, MessageCodec.readTxSession(in, version));
    }

    static void writeCommit(WireOutput out, TxCommitRequest c, boolean withSession) {
        writeTxId(out, c.txId());
        out.writeLong(c.stampMillis());
        writeSteps(out, c.steps());
        if (withSession) {
            MessageCodec.writeSession(out, c.session());
        }
    }

    static TxCommitRequest readCommit(WireInput in, int version) {
        TxId id = readTxId(in);
        long stamp = in.readLong();
        List<TxStep> steps = readSteps(in, version);
        return new TxCommitRequest(id, stamp, steps, MessageCodec.readTxSession(in, version));
    }

    static void writeStatementResult(WireOutput out, TxStatementResult r) {
        out.writeLong(r.stampMillis()).writeLong(r.appliedIndex()).writeBytes(MessageCodec.encode(r.result()));
        writeOutcome(out, r.outcome());
    }

    static TxStatementResult readStatementResult(WireInput in) {
        long stamp = in.readLong();
        long applied = in.readLong();
        Reply result = MessageCodec.decodeNestedReply(in.readBytes());
        return new TxStatementResult(stamp, applied, result, readOutcome(in));
    }

    /** Whether a script holds a {@link TxOp.Kind#SET_SCHEMA} operation (which needs format version 7). */
    static boolean switchesSchema(List<TxStep> steps) {
        for (TxStep s : steps) {
            if (s.op().kind() == TxOp.Kind.SET_SCHEMA) {
                return true;
            }
        }
        return false;
    }

    private static void writeTxId(WireOutput out, TxId id) {
        out.writeString(id.clientId()).writeLong(id.sequence());
    }

    private static TxId readTxId(WireInput in) {
        return new TxId(in.readString(), in.readLong());
    }

    private static void writeSteps(WireOutput out, List<TxStep> steps) {
        out.writeInt(steps.size());
        for (TxStep s : steps) {
            writeOp(out, s.op());
            writeOutcome(out, s.outcome());
        }
    }

    private static List<TxStep> readSteps(WireInput in, int version) {
        int n = in.readCount(6);
        List<TxStep> steps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            steps.add(new TxStep(readOp(in, version), readOutcome(in)));
        }
        return steps;
    }

    private static void writeOp(WireOutput out, TxOp op) {
        out.writeByte(op.kind().tag());
        if (op.kind() == TxOp.Kind.STATEMENT) {
            MessageCodec.writeStatement(out, op.statement());
        } else {
            out.writeString(op.name());
        }
    }

    private static TxOp readOp(WireInput in, int version) {
        TxOp.Kind kind = TxOp.Kind.ofTag(in.readByte());
        if (kind == TxOp.Kind.SET_SCHEMA && version < MessageCodec.TX_SCHEMA_VERSION) {
            throw new ProtocolException("corrupt message: a schema switch needs format version "
                    + MessageCodec.TX_SCHEMA_VERSION + ", the message has version " + version);
        }
        return kind == TxOp.Kind.STATEMENT ? TxOp.statement(MessageCodec.readStatement(in))
                : new TxOp(kind, null, in.readString());
    }

    private static void writeOutcome(WireOutput out, TxOutcome outcome) {
        if (outcome instanceof TxOutcome.Rows r) {
            out.writeByte(OUTCOME_ROWS).writeBytes(r.digest());
        } else if (outcome instanceof TxOutcome.Count c) {
            out.writeByte(OUTCOME_COUNT).writeInt(c.updateCounts().size());
            c.updateCounts().forEach(out::writeLong);
            out.writeBytes(c.keysDigest());
        } else {
            TxOutcome.Error e = (TxOutcome.Error) outcome;
            out.writeByte(OUTCOME_ERROR).writeString(e.sqlState()).writeInt(e.vendorCode());
        }
    }

    private static TxOutcome readOutcome(WireInput in) {
        // a record's own check (digest length, SQLState) failing here becomes "corrupt message" in MessageCodec
        int tag = in.readByte();
        switch (tag) {
            case OUTCOME_ROWS:
                return new TxOutcome.Rows(in.readBytes());
            case OUTCOME_COUNT: {
                int n = in.readCount(8);
                List<Long> counts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    counts.add(in.readLong());
                }
                return new TxOutcome.Count(counts, in.readBytes());
            }
            case OUTCOME_ERROR:
                return new TxOutcome.Error(in.readString(), in.readInt());
            default:
                throw new ProtocolException("corrupt message: unknown outcome tag " + tag);
        }
    }
}
