package org.lockstepdb.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSetMetaData;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class MessageCodecTest {
    static final List<Value> ONE_OF_EACH = List.of(
            Value.NULL,
            Value.of(ValueType.BOOLEAN, true),
            Value.of(ValueType.TINYINT, (byte) -7),
            Value.of(ValueType.SMALLINT, (short) 32000),
            Value.of(ValueType.INTEGER, Integer.MIN_VALUE),
            Value.of(ValueType.BIGINT, Long.MAX_VALUE),
            Value.of(ValueType.REAL, 1.5f),
            Value.of(ValueType.DOUBLE, -2.25e300),
            Value.of(ValueType.DECIMAL, new BigDecimal("-12345678901234567890.000123")),
            Value.of(ValueType.CHAR, "ab "),
            Value.of(ValueType.VARCHAR, "héllo ✓"),
            Value.of(ValueType.CLOB, "x".repeat(10_000)),
            Value.of(ValueType.VARBINARY, new byte[] {0, 1, (byte) 255}),
            Value.of(ValueType.BLOB, new byte[70_000]),
            Value.of(ValueType.DATE, LocalDate.of(1969, 12, 31)),
            Value.of(ValueType.TIME, LocalTime.of(23, 59, 59, 999_999_999)),
            Value.of(ValueType.TIME_WITH_TIME_ZONE, OffsetTime.of(1, 2, 3, 4, ZoneOffset.ofHours(-5))),
            Value.of(ValueType.TIMESTAMP, LocalDateTime.of(2026, 11, 27, 8, 0, 0, 123_456_789)),
            Value.of(ValueType.TIMESTAMP_WITH_TIME_ZONE, OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30))),
            Value.of(ValueType.UUID, UUID.randomUUID()),
            Value.of(ValueType.JSON, "{\"a\":[1,2]}".getBytes(StandardCharsets.UTF_8)),
            Value.of(ValueType.ARRAY, new ArrayValue(java.sql.Types.VARCHAR, "CHARACTER VARYING",
                    List.of(Value.of(ValueType.VARCHAR, "a"), Value.NULL))),
            Value.of(ValueType.INTERVAL, new IntervalValue(IntervalValue.Qualifier.YEAR_TO_MONTH, true, 1, 2)));

    @Test
    void everyValueTypeSurvivesAWriteRequest() {
        WriteRequest write = new WriteRequest(1_700_000_000_123L, List.of(
                new SqlStatement("INSERT INTO t VALUES (?)", ONE_OF_EACH.stream().map(List::of).toList(),
                        GeneratedKeyRequest.columns(List.of("ID"))),
                SqlStatement.of("DELETE FROM t"),
                new SqlStatement("UPDATE t SET a = ?", List.of(ONE_OF_EACH), GeneratedKeyRequest.NONE),
                new SqlStatement("INSERT INTO t VALUES (1)", List.of(), GeneratedKeyRequest.TABLE_KEYS)));
        assertThat(MessageCodec.decodeRequest(MessageCodec.encode(write))).isEqualTo(write);
        assertThat(ONE_OF_EACH.stream().map(Value::type).distinct()).hasSize(ValueType.values().length);
    }

    @Test
    void queryAndRepliesRoundTrip() {
        QueryRequest query = new QueryRequest("SELECT * FROM t WHERE a = ?", List.of(Value.of(ValueType.INTEGER, 1)), 10);
        assertThat(MessageCodec.decodeRequest(MessageCodec.encode(query))).isEqualTo(query);

        ColumnMeta col = new ColumnMeta("A", "A", "PUBLIC", "T", ValueType.INTEGER, java.sql.Types.INTEGER, "INTEGER",
                32, 0, ResultSetMetaData.columnNullable);
        ResultData data = new ResultData(List.of(col), List.of(List.of(Value.of(ValueType.INTEGER, 5)), List.of(Value.NULL)));
        Reply[] replies = {
            new QueryResult(42, data),
            new WriteResult(7, List.of(new StatementResult(List.of(1L, 1L), data), new StatementResult(List.of(0L), null))),
            new ErrorReply("23505", 23505, "Unique index or primary key violation")};
        for (Reply reply : replies) {
            Reply back = MessageCodec.decodeReply(MessageCodec.encode(reply));
            assertThat(back).usingRecursiveComparison().isEqualTo(reply);
        }
    }

    @Test
    void adminMessagesRoundTrip() {
        AdminRequest request = new AdminRequest(AdminOperation.VERIFY, java.util.Map.of("b", "2", "a", "1"), new byte[] {9, 8});
        assertThat(MessageCodec.decodeRequest(MessageCodec.encode(request))).isEqualTo(request);
        AdminResult result = new AdminResult(java.util.Map.of("checksum", "ab12", "index", "7"), null);
        assertThat(MessageCodec.decodeReply(MessageCodec.encode(result))).isEqualTo(result);
    }

    @Test
    void truncatedOrCorruptBytesAreRefusedWithoutHugeAllocations() {
        byte[] bytes = MessageCodec.encode(WriteRequest.of(List.of(SqlStatement.of("INSERT INTO t VALUES (1)"))));
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> MessageCodec.decodeRequest(cut)).isInstanceOf(ProtocolException.class);
        }
        byte[] hugeCount = bytes.clone();
        hugeCount[10] = 0x7f; // statement count claims ~2 billion
        assertThatThrownBy(() -> MessageCodec.decodeRequest(hugeCount)).isInstanceOf(ProtocolException.class);
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> MessageCodec.decodeRequest(trailing)).hasMessageContaining("trailing");
    }

    @Test
    void newerFormatVersionIsRefusedClearly() {
        byte[] bytes = MessageCodec.encode(WriteRequest.of(List.of(SqlStatement.of("DELETE FROM t"))));
        bytes[0] = (byte) (MessageCodec.FORMAT_VERSION + 1);
        assertThatThrownBy(() -> MessageCodec.decodeRequest(bytes))
                .isInstanceOf(NewerFormatException.class).hasMessageContaining("unsupported message format version");
    }

    @Test
    void version1LogEntryBytesStillDecode() {
        // Bytes of a version-1 write entry as written to Raft logs: must keep decoding after any format change.
        byte[] v1 = {1, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 13, 'D', 'E', 'L', 'E', 'T', 'E', ' ', 'F',
            'R', 'O', 'M', ' ', 't', 0, 0, 0, 0, 0};
        assertThat(MessageCodec.decodeRequest(v1))
                .isEqualTo(new WriteRequest(5, List.of(SqlStatement.of("DELETE FROM t"))));
    }

    @Test
    void version1QueryBytesStillDecodeWithoutATimeout() {
        // A version-1 query (drivers before the query timeout): SELECT 1, no parameters, maxRows 7.
        byte[] v1 = {1, 2, 0, 0, 0, 8, 'S', 'E', 'L', 'E', 'C', 'T', ' ', '1', 0, 0, 0, 0, 0, 0, 0, 7};
        assertThat(MessageCodec.decodeRequest(v1)).isEqualTo(new QueryRequest("SELECT 1", List.of(), 7, 0));
        assertThat(MessageCodec.encode(new QueryRequest("SELECT 1", List.of(), 7))).containsExactly(v1);
    }

    @Test
    void aTimedQueryIsVersion2AndEverythingElseStaysVersion1() {
        QueryRequest timed = new QueryRequest("SELECT 1", List.of(), 7, 30_000);
        byte[] bytes = MessageCodec.encode(timed);
        assertThat(bytes[0]).isEqualTo((byte) 2);
        assertThat(bytes).endsWith(0, 0, 0, 0, 0, 0, 0x75, 0x30, 0, 0, 0, 0); // int64 timeout, then id "" after maxRows
        assertThat(MessageCodec.decodeRequest(bytes)).isEqualTo(timed);
        QueryRequest withId = timed.withQueryId("c1-7");
        assertThat(MessageCodec.decodeRequest(MessageCodec.encode(withId))).isEqualTo(withId);
        QueryRequest idOnly = new QueryRequest("SELECT 1", List.of(), 0).withQueryId("c1-8");
        assertThat(MessageCodec.encode(idOnly)[0]).isEqualTo((byte) 2);
        assertThat(MessageCodec.decodeRequest(MessageCodec.encode(idOnly))).isEqualTo(idOnly);
        // Writes (log entries) and replies are still written as version 1, so older nodes read them.
        assertThat(MessageCodec.encode(WriteRequest.of(List.of(SqlStatement.of("DELETE FROM t"))))[0]).isEqualTo((byte) 1);
        assertThat(MessageCodec.encode(new ErrorReply("57014", 0, "x"))[0]).isEqualTo((byte) 1);
        // A version-2 query with a negative timeout is corrupt, not silently accepted.
        for (int i = bytes.length - 12; i < bytes.length - 4; i++) {
            bytes[i] = (byte) 0xff;
        }
        assertThatThrownBy(() -> MessageCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void errorsTravelInsideExceptionMessages() {
        ErrorReply e = new ErrorReply("54000", 0, "request too large\nsecond line");
        String wrapped = "org.apache.ratis.protocol.exceptions.StateMachineException: n1@group: " + e.toExceptionMessage();
        assertThat(ErrorReply.fromExceptionMessage(wrapped)).contains(e);
        assertThat(ErrorReply.fromExceptionMessage("plain failure")).isEmpty();
    }

    @Test
    void queriesThatWriteAreMarkedVersion3AndTheirRowsComeBack() {
        WriteRequest plain = WriteRequest.of(List.of(SqlStatement.of("INSERT INTO next_table VALUES (1)")));
        WriteRequest drawing = WriteRequest.of(List.of(SqlStatement.of("SELECT NEXT VALUE FOR s")));
        WriteRequest returning = WriteRequest.of(List.of(SqlStatement.of("SELECT * FROM FINAL TABLE (INSERT INTO t VALUES 1)")));
        assertThat(MessageCodec.encode(plain)[0]).isEqualTo((byte) 1); // what older nodes read, they still can
        assertThat(MessageCodec.encode(drawing)[0]).isEqualTo((byte) 3); // an older node refuses it, never skips it
        assertThat(MessageCodec.encode(returning)[0]).isEqualTo((byte) 3);
        assertThat(MessageCodec.decodeRequest(MessageCodec.encode(drawing))).isEqualTo(drawing);

        ColumnMeta col = new ColumnMeta("NEXT VALUE FOR PUBLIC.S", "NEXT VALUE FOR PUBLIC.S", "", "", ValueType.BIGINT,
                java.sql.Types.BIGINT, "BIGINT", 64, 0, ResultSetMetaData.columnNoNulls);
        ResultData rows = new ResultData(List.of(col), List.of(List.of(Value.of(ValueType.BIGINT, 7L))));
        WriteResult withRows = new WriteResult(9, List.of(new StatementResult(List.of(-1L), null, rows),
                new StatementResult(List.of(2L), null)));
        byte[] bytes = MessageCodec.encode(withRows);
        assertThat(bytes[0]).isEqualTo((byte) 3);
        assertThat(MessageCodec.decodeReply(bytes)).usingRecursiveComparison().isEqualTo(withRows);
        WriteResult withoutRows = new WriteResult(9, List.of(new StatementResult(List.of(2L), null)));
        assertThat(MessageCodec.encode(withoutRows)[0]).isEqualTo((byte) 1);
        assertThat(MessageCodec.decodeReply(MessageCodec.encode(withoutRows))).usingRecursiveComparison()
                .isEqualTo(withoutRows);
    }

    @Test
    void sessionValuesTravelAsVersion4AndDefaultsKeepTheOlderVersions() {
        SessionValues bob = new SessionValues("BOB", "Sales");
        QueryRequest query = new QueryRequest("SELECT USER()", List.of(), 0).withSession(bob);
        byte[] bytes = MessageCodec.encode(query);
        assertThat(bytes[0]).isEqualTo((byte) 4);
        assertThat(MessageCodec.decodeRequest(bytes)).isEqualTo(query);
        WriteRequest write = WriteRequest.of(List.of(SqlStatement.of("INSERT INTO t VALUES (1)"))).withSession(bob);
        assertThat(MessageCodec.encode(write)[0]).isEqualTo((byte) 4);
        assertThat(MessageCodec.decodeRequest(MessageCodec.encode(write))).isEqualTo(write);
        // the default session adds nothing: the bytes older nodes read stay what they were
        assertThat(MessageCodec.encode(write.withSession(SessionValues.DEFAULT))[0]).isEqualTo((byte) 1);
        assertThat(MessageCodec.encode(new QueryRequest("SELECT 1", List.of(), 0))[0]).isEqualTo((byte) 1);
        assertThat(((WriteRequest) MessageCodec.decodeRequest(MessageCodec.encode(WriteRequest.of(List.of(
                SqlStatement.of("DELETE FROM t")))))).session()).isEqualTo(SessionValues.DEFAULT);
    }
}
