package org.lockstepdb.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

class TxCodecTest {
    private static final ColumnMeta ID = new ColumnMeta("ID", "ID", "PUBLIC", "T", ValueType.INTEGER, Types.INTEGER,
            "INTEGER", 32, 0, 0);
    private static final ColumnMeta NAME = new ColumnMeta("NAME", "NAME", "PUBLIC", "T", ValueType.VARCHAR,
            Types.VARCHAR, "CHARACTER VARYING", 20, 0, 1);

    private static ResultData rows(Object... idNamePairs) {
        List<List<Value>> rows = new java.util.ArrayList<>();
        for (int i = 0; i < idNamePairs.length; i += 2) {
            rows.add(List.of(Value.of(ValueType.INTEGER, idNamePairs[i]), Value.of(ValueType.VARCHAR, idNamePairs[i + 1])));
        }
        return new ResultData(List.of(ID, NAME), rows);
    }

    private static List<TxStep> script() {
        return script(MessageCodecTest.ONE_OF_EACH.stream().filter(v -> !v.type().sinceVersion6()).toList());
    }

    private static List<TxStep> script(List<Value> parameters) {
        return List.of(
                new TxStep(TxOp.statement(SqlStatement.of("SELECT * FROM t WHERE id = ?",
                        parameters)), TxOutcome.rows(rows(1, "a"))),
                new TxStep(TxOp.savepoint("s1"), TxOutcome.DONE),
                new TxStep(TxOp.statement(new SqlStatement("INSERT INTO t(name) VALUES (?)",
                        List.of(List.of(Value.of(ValueType.VARCHAR, "x")), List.of(Value.NULL)),
                        GeneratedKeyRequest.TABLE_KEYS)),
                        TxOutcome.count(new StatementResult(List.of(1L, 1L), rows(7, "x", 8, null)))),
                new TxStep(TxOp.statement(SqlStatement.of("UPDATE t SET name = 'y'")),
                        TxOutcome.count(new StatementResult(List.of(3L), null))),
                new TxStep(TxOp.statement(SqlStatement.of("INSERT INTO t VALUES (1, 'dup')")),
                        new TxOutcome.Error("23505", 23505)),
                new TxStep(TxOp.rollbackTo("s1"), TxOutcome.DONE),
                new TxStep(TxOp.release("s1"), new TxOutcome.Error("90063", 90063)));
    }

    @Test
    void aScriptWithArraysOrIntervalsIsVersion6AndCarriesTheSession() {
        TxCommitRequest commit = new TxCommitRequest(new TxId("client-1", 43), 1L, script(MessageCodecTest.ONE_OF_EACH));
        byte[] bytes = MessageCodec.encode(commit);
        assertThat(bytes[0]).isEqualTo((byte) 6);
        assertThat(MessageCodec.decodeRequest(bytes)).isEqualTo(commit);
        TxStatementRequest inSchema = new TxStatementRequest(new TxId("client-1", 44), 1L,
                script(MessageCodecTest.ONE_OF_EACH), TxOp.statement(SqlStatement.of("DELETE FROM t")), 2_500,
                new SessionValues("ALICE", "APP"));
        byte[] statement = MessageCodec.encode(inSchema);
        assertThat(statement[0]).isEqualTo((byte) 6);
        assertThat(MessageCodec.decodeRequest(statement)).isEqualTo(inSchema);
    }

    @Test
    void statementRequestCommitAndResultRoundTripAsVersion3() {
        TxId id = new TxId("client-1", 42);
        TxStatementRequest request = new TxStatementRequest(id, 1_700_000_000_000L, script(),
                TxOp.statement(SqlStatement.of("DELETE FROM t")), 2_500);
        TxCommitRequest commit = new TxCommitRequest(id, 1_700_000_000_000L, script());
        TxStatementResult query = new TxStatementResult(1_700_000_000_000L, 17, new QueryResult(17, rows(1, "a")),
                TxOutcome.rows(rows(1, "a")));
        TxStatementResult write = new TxStatementResult(5, 17, new WriteResult(17,
                List.of(new StatementResult(List.of(1L), rows(9, "k")))), TxOutcome.count(
                new StatementResult(List.of(1L), rows(9, "k"))));
        TxStatementResult error = new TxStatementResult(5, 17, new ErrorReply("23505", 23505, "duplicate"),
                new TxOutcome.Error("23505", 23505));
        for (Request r : List.<Request>of(request, commit)) {
            byte[] bytes = MessageCodec.encode(r);
            assertThat(bytes[0]).isEqualTo((byte) 3);
            assertThat(MessageCodec.decodeRequest(bytes)).isEqualTo(r);
        }
        for (Reply r : List.<Reply>of(query, write, error)) {
            byte[] bytes = MessageCodec.encode(r);
            assertThat(bytes[0]).isEqualTo((byte) 3);
            assertThat(MessageCodec.decodeReply(bytes)).isEqualTo(r);
        }
    }

    @Test
    void aTransactionKindInAnOlderVersionIsCorrupt() {
        byte[] bytes = MessageCodec.encode(new TxCommitRequest(new TxId("c", 1), 5, script()));
        bytes[0] = 2;
        assertThatThrownBy(() -> MessageCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("needs format version 3");
    }

    @Test
    void aStatementResultCannotNestAnother() {
        TxStatementResult inner = new TxStatementResult(5, 17, new ErrorReply("23505", 23505, "dup"),
                new TxOutcome.Error("23505", 23505));
        byte[] innerBytes = MessageCodec.encode(inner);
        // the outer result's layout: version, kind, stamp, applied index, nested reply bytes, outcome
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(2 + 8 + 8 + 4 + innerBytes.length + 1 + 4 + 5 + 4);
        b.put((byte) 3).put((byte) 15).putLong(5).putLong(17).putInt(innerBytes.length).put(innerBytes);
        b.put((byte) 3).putInt(5).put("23505".getBytes(java.nio.charset.StandardCharsets.UTF_8)).putInt(23505);
        assertThatThrownBy(() -> MessageCodec.decodeReply(b.array())).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("nested");
    }

    @Test
    void aTruncatedOrForgedOutcomeIsCorrupt() {
        byte[] bytes = MessageCodec.encode(new TxCommitRequest(new TxId("c", 1), 5,
                List.of(new TxStep(TxOp.savepoint("s"), new TxOutcome.Error("40001", 0)))));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> MessageCodec.decodeRequest(truncated)).isInstanceOf(ProtocolException.class);
        // the SQLState's length prefix (4 bytes before "40001"): claim 4 characters
        byte[] forged = bytes.clone();
        forged[forged.length - 4 - 5 - 1] = 4;
        assertThatThrownBy(() -> MessageCodec.decodeRequest(forged)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void digestCoversValuesOrderAndColumnTypesButNotLabels() {
        byte[] base = OutcomeDigest.of(rows(1, "a", 2, "b"));
        assertThat(base).hasSize(OutcomeDigest.LENGTH).isEqualTo(OutcomeDigest.of(rows(1, "a", 2, "b")));
        assertThat(OutcomeDigest.of(rows(2, "b", 1, "a"))).isNotEqualTo(base); // order
        assertThat(OutcomeDigest.of(rows(1, "a", 2, "c"))).isNotEqualTo(base); // a value
        assertThat(OutcomeDigest.of(rows(1, "a"))).isNotEqualTo(base); // a row fewer
        assertThat(OutcomeDigest.of(rows(1, "a", 2, null))).isNotEqualTo(OutcomeDigest.of(rows(1, "a", 2, "")));
        ColumnMeta relabeled = new ColumnMeta("X", "X", "", "", ValueType.INTEGER, Types.INTEGER, "INTEGER", 32, 0, 0);
        ColumnMeta bigint = new ColumnMeta("ID", "ID", "", "", ValueType.BIGINT, Types.BIGINT, "BIGINT", 64, 0, 0);
        ResultData one = rows(1, "a");
        assertThat(OutcomeDigest.of(new ResultData(List.of(relabeled, NAME), one.rows()))).isEqualTo(OutcomeDigest.of(one));
        assertThat(OutcomeDigest.of(new ResultData(List.of(bigint, NAME), List.of(List.of(
                Value.of(ValueType.BIGINT, 1L), Value.of(ValueType.VARCHAR, "a")))))).isNotEqualTo(OutcomeDigest.of(one));
        // empty results with different columns differ; an empty result differs from one empty row
        assertThat(OutcomeDigest.of(new ResultData(List.of(ID), List.of())))
                .isNotEqualTo(OutcomeDigest.of(new ResultData(List.of(NAME), List.of())));
    }

    @Test
    void outcomesCompareByContent() {
        assertThat(TxOutcome.rows(rows(1, "a"))).isEqualTo(TxOutcome.rows(rows(1, "a")))
                .isNotEqualTo(TxOutcome.rows(rows(1, "b")));
        assertThat(TxOutcome.count(new StatementResult(List.of(1L), rows(3, "k"))))
                .isEqualTo(TxOutcome.count(new StatementResult(List.of(1L), rows(3, "k"))))
                .isNotEqualTo(TxOutcome.count(new StatementResult(List.of(1L), rows(4, "k"))))
                .isNotEqualTo(TxOutcome.count(new StatementResult(List.of(1L), null)));
        assertThat(TxOutcome.count(new StatementResult(List.of(), null))).isEqualTo(TxOutcome.DONE);
        assertThatThrownBy(() -> new TxOp(TxOp.Kind.SAVEPOINT, SqlStatement.of("SELECT 1"), "s"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void transactionRequestsCarryTheSessionAsVersion5AndOlderOnesDecodeWithTheDefault() {
        TxId id = new TxId("client-1", 43);
        SessionValues bob = new SessionValues("BOB", "Sales");
        TxStatementRequest request = new TxStatementRequest(id, 5, script(),
                TxOp.statement(SqlStatement.of("SELECT CURRENT_SCHEMA")), 0, bob);
        TxCommitRequest commit = new TxCommitRequest(id, 5, script(), bob.withoutUser());
        for (Request r : List.<Request>of(request, commit)) {
            byte[] bytes = MessageCodec.encode(r);
            assertThat(bytes[0]).isEqualTo((byte) 5);
            assertThat(MessageCodec.decodeRequest(bytes)).isEqualTo(r);
        }
        // A version-3 commit entry (logs written before version 5) keeps decoding, in the default session.
        byte[] v3 = MessageCodec.encode(new TxCommitRequest(id, 5, script()));
        assertThat(v3[0]).isEqualTo((byte) 3);
        assertThat(((TxCommitRequest) MessageCodec.decodeRequest(v3)).session()).isEqualTo(SessionValues.DEFAULT);
        // The same bytes claiming version 4 are not misread: version 4 has no session in transaction messages.
        byte[] v5 = MessageCodec.encode(commit);
        v5[0] = 4;
        assertThatThrownBy(() -> MessageCodec.decodeRequest(v5)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void aScriptThatSwitchesTheSchemaIsVersion7AndOnlyItIs() {
        TxId id = new TxId("client-1", 45);
        List<TxStep> switching = new java.util.ArrayList<>(script());
        switching.add(2, new TxStep(TxOp.setSchema("Sales"), TxOutcome.DONE));
        switching.add(new TxStep(TxOp.setSchema("NOPE"), new TxOutcome.Error("90079", 90079)));
        // in the default session too: version 7 carries every field of the versions before it
        TxCommitRequest commit = new TxCommitRequest(id, 5, switching);
        TxStatementRequest done = new TxStatementRequest(id, 5, switching,
                TxOp.statement(SqlStatement.of("SELECT 1")), 0, new SessionValues("BOB", "APP"));
        TxStatementRequest next = new TxStatementRequest(id, 5, script(), TxOp.setSchema("Sales"), 0,
                SessionValues.DEFAULT);
        TxCommitRequest withArrays = new TxCommitRequest(id, 5, List.of(
                new TxStep(TxOp.setSchema("S"), TxOutcome.DONE),
                script(MessageCodecTest.ONE_OF_EACH).get(0)));
        for (Request r : List.<Request>of(commit, done, next, withArrays)) {
            byte[] bytes = MessageCodec.encode(r);
            assertThat(bytes[0]).isEqualTo((byte) 7);
            assertThat(MessageCodec.decodeRequest(bytes)).isEqualTo(r);
            // a node that reads up to version 6 stops at it (NewerFormatException); the bytes never pass as older
            byte[] older = bytes.clone();
            older[0] = 6;
            assertThatThrownBy(() -> MessageCodec.decodeRequest(older)).isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("corrupt");
        }
        assertThat(MessageCodec.FORMAT_VERSION).isEqualTo(7);
        // the same scripts without the switch keep their old versions
        assertThat(MessageCodec.encode(new TxCommitRequest(id, 5, script()))[0]).isEqualTo((byte) 3);
        assertThat(MessageCodec.encode(new TxCommitRequest(id, 5, script(), new SessionValues("", "APP")))[0])
                .isEqualTo((byte) 5);
        assertThatThrownBy(() -> new TxOp(TxOp.Kind.SET_SCHEMA, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(TxOp.setSchema("Sales").describe()).isEqualTo("SET_SCHEMA Sales");
    }
}
