package org.lockstepdb.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.lockstepdb.protocol.sql.StatementClassifier;
import org.lockstepdb.protocol.sql.StatementKind;

/**
 * Encodes and decodes requests (which are also the log entry format) and replies.
 *
 * <p>Every message starts with the format version byte, then a kind byte. A reader accepts every version up
 * to {@link #FORMAT_VERSION}, so entries already in a Raft log keep applying after an upgrade; a newer
 * version than it knows is refused with a clear error rather than misread.
 *
 * <p>A writer uses the lowest version that can express the message, so that what older nodes could read they
 * still can (plain writes, replies and log entries are still version 1).
 *
 * <ul>
 *   <li>Version 1: the original layout.</li>
 *   <li>Version 2: a query carries the client's timeout ({@link QueryRequest#timeoutMillis()}, int64) and its
 *       id ({@link QueryRequest#queryId()}, string) after maxRows. Written only for a query with a timeout or
 *       an id; a version-1 query decodes with timeout 0 and id "".</li>
 *   <li>Version 3: queries that write (a write holding {@code SELECT NEXT VALUE FOR} or a data change delta table,
 *       and a write result whose statement results carry rows) and the interactive-transaction kinds
 *       ({@link TxStatementRequest}, {@link TxStatementResult}, {@link TxCommitRequest}, see {@link TxCodec}).
 *       Written only for messages that need them.</li>
 *   <li>Version 4: a query or write carries the connection's {@link SessionValues} (user, schema) after its
 *       other fields. Written only when they are not the default (no user, schema PUBLIC); older messages decode
 *       with the default.</li>
 *   <li>Version 5: the transaction requests ({@link TxStatementRequest}, {@link TxCommitRequest}) carry the
 *       connection's {@link SessionValues} (see {@link TxCodec}). Written only when they are not the default.</li>
 *   <li>Version 6: ARRAY and INTERVAL values ({@link ArrayValue}, {@link IntervalValue}) in parameters and result
 *       rows. A message is version 6 exactly when it holds such a value, and then has every field versions 2-5
 *       added; older messages cannot hold them, so every entry already in a log decodes as before.</li>
 *   <li>Version 7: a transaction request's script holds a {@link TxOp.Kind#SET_SCHEMA} operation (the
 *       connection switched its schema inside the transaction). A transaction request is version 7 exactly when
 *       it holds one, and then carries every field versions 2-6 added (the session always); a node that reads
 *       only up to 6 meets it as a {@link NewerFormatException}, never as an operation it skips.</li>
 * </ul>
 */
public final class MessageCodec {
    /** The format version this code writes. Bump it when the layout changes; keep reading the old ones. */
    public static final int FORMAT_VERSION = 7;
    /** The first version in which a query carries {@link QueryRequest#timeoutMillis()} and its id. */
    private static final int QUERY_TIMEOUT_VERSION = 2;
    /** The first version with queries that write: rows in write results, such statements in writes. */
    private static final int WRITING_QUERY_VERSION = 3;
    /** The first version with the interactive-transaction kinds (the same release as queries that write). */
    static final int TRANSACTION_VERSION = 3;
    /** The first version in which queries and writes carry the connection's {@link SessionValues}. */
    private static final int SESSION_VERSION = 4;
    /** The first version in which the transaction requests carry the connection's {@link SessionValues}. */
    static final int TX_SESSION_VERSION = 5;
    /** The first version with ARRAY and INTERVAL values. */
    private static final int ARRAY_INTERVAL_VERSION = 6;
    /** The first version whose transaction scripts may switch the schema ({@link TxOp.Kind#SET_SCHEMA}). */
    static final int TX_SCHEMA_VERSION = 7;

    private static final int KIND_WRITE = 1;
    private static final int KIND_QUERY = 2;
    private static final int KIND_ADMIN = 3;
    private static final int KIND_TX_STATEMENT = 4;
    private static final int KIND_TX_COMMIT = 5;
    private static final int KIND_WRITE_RESULT = 11;
    private static final int KIND_QUERY_RESULT = 12;
    private static final int KIND_ERROR = 13;
    private static final int KIND_ADMIN_RESULT = 14;
    private static final int KIND_TX_STATEMENT_RESULT = 15;

    private MessageCodec() {
    }

    public static byte[] encode(Request request) {
        if (request instanceof TxStatementRequest t) {
            return transactionRequest(KIND_TX_STATEMENT, !t.session().equals(SessionValues.DEFAULT),
                    TxCodec.switchesSchema(t.done()) || t.next().kind() == TxOp.Kind.SET_SCHEMA,
                    (out, withSession) -> TxCodec.writeStatementRequest(out, t, withSession));
        }
        if (request instanceof TxCommitRequest t) {
            return transactionRequest(KIND_TX_COMMIT, !t.session().equals(SessionValues.DEFAULT),
                    TxCodec.switchesSchema(t.steps()),
                    (out, withSession) -> TxCodec.writeCommit(out, t, withSession));
        }
        if (request instanceof AdminRequest a) {
            WireOutput out = header(KIND_ADMIN).writeString(a.operationName());
            writeMap(out, a.parameters());
            return bytes(out.writeBytes(a.payload()));
        }
        if (request instanceof QueryRequest q) {
            boolean v6 = needsVersion6(q.parameters());
            boolean v4 = v6 || !q.session().equals(SessionValues.DEFAULT);
            boolean v2 = v4 || q.timeoutMillis() > 0 || !q.queryId().isEmpty();
            WireOutput out = header(v6 ? ARRAY_INTERVAL_VERSION : v4 ? SESSION_VERSION
                    : v2 ? QUERY_TIMEOUT_VERSION : 1, KIND_QUERY)
                    .writeString(q.sql()).writeValues(q.parameters()).writeInt(q.maxRows());
            if (v2) {
                out.writeLong(q.timeoutMillis()).writeString(q.queryId());
            }
            if (v4) {
                writeSession(out, q.session());
            }
            return bytes(out);
        }
        WriteRequest w = (WriteRequest) request;
        boolean v6 = w.statements().stream()
                .anyMatch(s -> s.parameterSets().stream().anyMatch(MessageCodec::needsVersion6));
        boolean v4 = v6 || !w.session().equals(SessionValues.DEFAULT);
        WireOutput out = header(v6 ? ARRAY_INTERVAL_VERSION : v4 ? SESSION_VERSION
                : hasWritingQuery(w) ? WRITING_QUERY_VERSION : 1, KIND_WRITE);
        out.writeLong(w.stampMillis());
        out.writeInt(w.statements().size());
        for (SqlStatement s : w.statements()) {
            writeStatement(out, s);
        }
        if (v4) {
            writeSession(out, w.session());
        }
        return bytes(out);
    }

    private static boolean hasWritingQuery(WriteRequest w) {
        for (SqlStatement s : w.statements()) {
            // the words every writing query holds (NEXT VALUE FOR, NEXTVAL, FINAL TABLE): most writes skip lexing
            if (mayWrite(s.sql()) && StatementClassifier.classify(s.sql()).kind() == StatementKind.WRITING_QUERY) {
                return true;
            }
        }
        return false;
    }

    private static boolean mayWrite(String sql) {
        for (int i = 0; i + 4 <= sql.length(); i++) {
            if (sql.regionMatches(true, i, "NEXT", 0, 4) || sql.regionMatches(true, i, "TABLE", 0, 5)) {
                return true;
            }
        }
        return false;
    }

    public static Request decodeRequest(byte[] bytes) {
        return decode(bytes, (in, version, kind) -> {
            switch (kind) {
                case KIND_WRITE: {
                    long stamp = in.readLong();
                    int n = in.readCount(5);
                    List<SqlStatement> statements = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        statements.add(readStatement(in));
                    }
                    return new WriteRequest(stamp, statements, readSession(in, version));
                }
                case KIND_QUERY: {
                    String sql = in.readString();
                    List<Value> parameters = in.readValues();
                    int maxRows = nonNegative(in.readInt());
                    long timeoutMillis = version >= QUERY_TIMEOUT_VERSION ? nonNegative(in.readLong()) : 0;
                    String queryId = version >= QUERY_TIMEOUT_VERSION ? in.readString() : "";
                    return new QueryRequest(sql, parameters, maxRows, timeoutMillis, queryId, readSession(in, version));
                }
                case KIND_ADMIN:
                    return new AdminRequest(in.readString(), readMap(in), in.readBytes());
                case KIND_TX_STATEMENT:
                    requireTransactionVersion(version, kind);
                    return TxCodec.readStatementRequest(in, version);
                case KIND_TX_COMMIT:
                    requireTransactionVersion(version, kind);
                    return TxCodec.readCommit(in, version);
                default:
                    throw new ProtocolException("not a request: message kind " + kind);
            }
        });
    }

    public static byte[] encode(Reply reply) {
        if (reply instanceof TxStatementResult t) {
            WireOutput out = header(TRANSACTION_VERSION, KIND_TX_STATEMENT_RESULT);
            TxCodec.writeStatementResult(out, t);
            return raisedTo6IfNeeded(out);
        }
        if (reply instanceof WriteResult w) {
            boolean v6 = w.results().stream().anyMatch(r -> needsVersion6(r.generatedKeys()) || needsVersion6(r.rows()));
            boolean withRows = v6 || w.results().stream().anyMatch(r -> r.rows() != null);
            WireOutput out = header(v6 ? ARRAY_INTERVAL_VERSION : withRows ? WRITING_QUERY_VERSION : 1,
                    KIND_WRITE_RESULT).writeLong(w.logIndex())
                    .writeInt(w.results().size());
            for (StatementResult r : w.results()) {
                out.writeInt(r.updateCounts().size());
                r.updateCounts().forEach(out::writeLong);
                writeOptionalResultData(out, r.generatedKeys());
                if (withRows) {
                    writeOptionalResultData(out, r.rows());
                }
            }
            return bytes(out);
        }
        if (reply instanceof QueryResult q) {
            WireOutput out = header(needsVersion6(q.data()) ? ARRAY_INTERVAL_VERSION : 1, KIND_QUERY_RESULT)
                    .writeLong(q.appliedIndex());
            writeResultData(out, q.data());
            return bytes(out);
        }
        if (reply instanceof AdminResult a) {
            WireOutput out = header(KIND_ADMIN_RESULT);
            writeMap(out, a.values());
            return bytes(out.writeBytes(a.payload()));
        }
        ErrorReply e = (ErrorReply) reply;
        return bytes(header(KIND_ERROR).writeString(e.sqlState()).writeInt(e.vendorCode()).writeString(e.message()));
    }

    public static Reply decodeReply(byte[] bytes) {
        return decode(bytes, (in, version, kind) -> {
            switch (kind) {
                case KIND_WRITE_RESULT: {
                    long index = in.readLong();
                    int n = in.readCount(5);
                    List<StatementResult> results = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        int counts = in.readCount(8);
                        List<Long> updateCounts = new ArrayList<>(counts);
                        for (int c = 0; c < counts; c++) {
                            updateCounts.add(in.readLong());
                        }
                        ResultData keys = readOptionalResultData(in);
                        ResultData rows = version >= WRITING_QUERY_VERSION ? readOptionalResultData(in) : null;
                        results.add(new StatementResult(updateCounts, keys, rows));
                    }
                    return new WriteResult(index, results);
                }
                case KIND_QUERY_RESULT:
                    return new QueryResult(in.readLong(), readResultData(in));
                case KIND_ERROR:
                    return new ErrorReply(in.readString(), in.readInt(), in.readString());
                case KIND_ADMIN_RESULT:
                    return new AdminResult(readMap(in), in.readBytes());
                case KIND_TX_STATEMENT_RESULT:
                    requireTransactionVersion(version, kind);
                    return TxCodec.readStatementResult(in);
                default:
                    throw new ProtocolException("not a reply: message kind " + kind);
            }
        });
    }

    /**
     * A reply nested in a {@link TxStatementResult}: rows, counts or an error. Checked before decoding, so that
     * replies nested in replies cannot recurse (a hostile message could otherwise nest them until the stack ends).
     */
    static Reply decodeNestedReply(byte[] bytes) {
        if (bytes.length >= 2 && bytes[1] == KIND_TX_STATEMENT_RESULT) {
            throw new ProtocolException("corrupt message: a transaction statement result nested in another");
        }
        return decodeReply(bytes);
    }

    /** A transaction kind in a message older than the version that introduced it is corrupt, not misread. */
    private static void requireTransactionVersion(int version, int kind) {
        if (version < TRANSACTION_VERSION) {
            throw new ProtocolException("corrupt message: kind " + kind + " needs format version "
                    + TRANSACTION_VERSION + ", the message has version " + version);
        }
    }

    /**
     * The message's bytes. A message that holds a value only version 6 can carry must have been written as
     * version 6 (later versions read every field the earlier ones added, so the layout depends on the version).
     */
    private static byte[] bytes(WireOutput out) {
        byte[] bytes = out.toByteArray();
        if (out.wroteVersion6Values() && bytes[0] < ARRAY_INTERVAL_VERSION) {
            throw new IllegalStateException("a message with ARRAY or INTERVAL values written as version " + bytes[0]);
        }
        return bytes;
    }

    /**
     * A transaction request: version 3, version 5 with the session, version 6 when it holds ARRAY or INTERVAL values
     * (which then also carries the session, since version 6 has every field version 5 added), version 7 when its
     * script switches the schema (with the session too). Version 6 is raised in place: the layout is the same.
     */
    private static byte[] transactionRequest(int kind, boolean withSession, boolean switchesSchema,
                                             BiConsumer<WireOutput, Boolean> body) {
        if (switchesSchema) {
            WireOutput out = header(TX_SCHEMA_VERSION, kind);
            body.accept(out, true);
            return bytes(out);
        }
        WireOutput out = header(withSession ? TX_SESSION_VERSION : TRANSACTION_VERSION, kind);
        body.accept(out, withSession);
        if (out.wroteVersion6Values() && !withSession) {
            return transactionRequest(kind, true, false, body);
        }
        return raisedTo6IfNeeded(out);
    }

    private static byte[] raisedTo6IfNeeded(WireOutput out) {
        byte[] bytes = out.toByteArray();
        if (out.wroteVersion6Values() && bytes[0] < ARRAY_INTERVAL_VERSION) {
            bytes[0] = ARRAY_INTERVAL_VERSION;
        }
        return bytes;
    }

    private static boolean needsVersion6(List<Value> values) {
        for (Value v : values) {
            if (v.type().sinceVersion6()) {
                return true;
            }
        }
        return false;
    }

    private static boolean needsVersion6(ResultData data) {
        return data != null && data.rows().stream().anyMatch(MessageCodec::needsVersion6);
    }

    /** Version 1 unless the message needs a later one (see the class comment). */
    private static WireOutput header(int kind) {
        return header(1, kind);
    }

    private static WireOutput header(int version, int kind) {
        return new WireOutput().writeByte(version).writeByte(kind);
    }

    private interface Body<T> {
        T read(WireInput in, int version, int kind);
    }

    private static <T> T decode(byte[] bytes, Body<T> body) {
        WireInput in = new WireInput(bytes);
        try {
            int version = in.readByte();
            if (version > FORMAT_VERSION) {
                throw new NewerFormatException("unsupported message format version " + version
                        + " (this node reads versions 1.." + FORMAT_VERSION + "; upgrade it)");
            }
            if (version < 1) {
                throw new ProtocolException("unsupported message format version " + version
                        + " (this node reads versions 1.." + FORMAT_VERSION + "; upgrade it)");
            }
            in.version(version);
            T result = body.read(in, version, in.readByte());
            in.expectEnd();
            return result;
        } catch (ProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ProtocolException("corrupt message: " + e.getMessage(), e);
        }
    }

    private static void writeMap(WireOutput out, java.util.Map<String, String> map) {
        out.writeInt(map.size());
        map.forEach((k, v) -> out.writeString(k).writeString(v));
    }

    private static java.util.Map<String, String> readMap(WireInput in) {
        int n = in.readCount(8);
        java.util.Map<String, String> map = new java.util.TreeMap<>();
        for (int i = 0; i < n; i++) {
            map.put(in.readString(), in.readString());
        }
        return map;
    }

    static void writeSession(WireOutput out, SessionValues session) {
        out.writeString(session.user()).writeString(session.schema());
    }

    /** A transaction request's session: present from version 5 on, else the default. */
    static SessionValues readTxSession(WireInput in, int version) {
        return readSession(in, version >= TX_SESSION_VERSION);
    }

    private static SessionValues readSession(WireInput in, int version) {
        return readSession(in, version >= SESSION_VERSION);
    }

    private static SessionValues readSession(WireInput in, boolean present) {
        return present ? new SessionValues(in.readString(), in.readString()) : SessionValues.DEFAULT;
    }

    static void writeStatement(WireOutput out, SqlStatement s) {
        out.writeString(s.sql());
        out.writeInt(s.parameterSets().size());
        s.parameterSets().forEach(out::writeValues);
        // On the wire: absent = none, present and empty = the table's keys, else the named columns.
        out.writeBoolean(s.wantsGeneratedKeys());
        if (s.wantsGeneratedKeys()) {
            out.writeStrings(s.generatedKeys().columns());
        }
    }

    static SqlStatement readStatement(WireInput in) {
        String sql = in.readString();
        int sets = in.readCount(4);
        List<List<Value>> parameterSets = new ArrayList<>(sets);
        for (int i = 0; i < sets; i++) {
            parameterSets.add(in.readValues());
        }
        GeneratedKeyRequest keys = in.readBoolean() ? GeneratedKeyRequest.columns(in.readStrings())
                : GeneratedKeyRequest.NONE;
        return new SqlStatement(sql, parameterSets, keys);
    }

    private static void writeOptionalResultData(WireOutput out, ResultData data) {
        out.writeBoolean(data != null);
        if (data != null) {
            writeResultData(out, data);
        }
    }

    private static ResultData readOptionalResultData(WireInput in) {
        return in.readBoolean() ? readResultData(in) : null;
    }

    private static void writeResultData(WireOutput out, ResultData data) {
        out.writeInt(data.columns().size());
        for (ColumnMeta c : data.columns()) {
            out.writeString(c.label()).writeString(c.name()).writeString(c.schema()).writeString(c.table())
                    .writeByte(c.valueType().tag()).writeInt(c.jdbcType()).writeString(c.typeName())
                    .writeInt(c.precision()).writeInt(c.scale()).writeInt(c.nullable());
        }
        out.writeInt(data.rows().size());
        for (List<Value> row : data.rows()) {
            row.forEach(out::writeValue); // the column count gives each row's length
        }
    }

    private static ResultData readResultData(WireInput in) {
        int n = in.readCount(20);
        List<ColumnMeta> columns = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            columns.add(new ColumnMeta(in.readString(), in.readString(), in.readString(), in.readString(),
                    ValueType.ofTag(in.readByte()), in.readInt(), in.readString(), in.readInt(), in.readInt(),
                    in.readInt()));
        }
        int rowCount = in.readCount(Math.max(1, n));
        List<List<Value>> rows = new ArrayList<>(rowCount);
        for (int r = 0; r < rowCount; r++) {
            List<Value> row = new ArrayList<>(n);
            for (int c = 0; c < n; c++) {
                row.add(in.readValue());
            }
            rows.add(row);
        }
        return new ResultData(columns, rows);
    }

    private static long nonNegative(long n) {
        if (n < 0) {
            throw new ProtocolException("corrupt message: negative value " + n);
        }
        return n;
    }

    private static int nonNegative(int n) {
        if (n < 0) {
            throw new ProtocolException("corrupt message: negative count " + n);
        }
        return n;
    }
}
