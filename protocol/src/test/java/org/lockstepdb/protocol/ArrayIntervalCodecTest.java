package org.lockstepdb.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Types;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Wire format 6: ARRAY and INTERVAL values round-trip, and only messages holding them say version 6. */
class ArrayIntervalCodecTest {
    private static final Value INTERVAL = Value.of(ValueType.INTERVAL,
            new IntervalValue(IntervalValue.Qualifier.DAY_TO_SECOND, true, 3, 14_706_500_000_000L));
    private static final Value ARRAY = Value.of(ValueType.ARRAY, new ArrayValue(Types.INTEGER, "INTEGER",
            List.of(Value.of(ValueType.INTEGER, 1), Value.NULL, Value.of(ValueType.ARRAY,
                    new ArrayValue(Types.NULL, "", List.of(INTERVAL))))));

    @Test
    void arraysAndIntervalsRoundTripInParametersAndRows() {
        WriteRequest write = WriteRequest.of(List.of(SqlStatement.of("INSERT INTO t VALUES (?, ?)",
                List.of(ARRAY, INTERVAL))));
        byte[] bytes = MessageCodec.encode(write);
        assertThat(bytes[0]).isEqualTo((byte) 6);
        assertThat(MessageCodec.decodeRequest(bytes)).isEqualTo(write);

        ColumnMeta c = new ColumnMeta("A", "A", "", "", ValueType.ARRAY, Types.ARRAY, "INTEGER ARRAY", 10, 0, 1);
        QueryResult result = new QueryResult(7, new ResultData(List.of(c), List.of(List.of(ARRAY), List.of(Value.NULL))));
        byte[] reply = MessageCodec.encode(result);
        assertThat(reply[0]).isEqualTo((byte) 6);
        assertThat(MessageCodec.decodeReply(reply)).isEqualTo(result);
    }

    @Test
    void messagesWithoutThemKeepTheirOlderVersion() {
        byte[] bytes = MessageCodec.encode(WriteRequest.of(List.of(SqlStatement.of("INSERT INTO t VALUES (?)",
                List.of(Value.of(ValueType.INTEGER, 1))))));
        assertThat(bytes[0]).isEqualTo((byte) 1); // what older replicas and old log entries read
    }

    @Test
    void anArrayInAnOlderVersionIsCorruptNotMisread() {
        byte[] bytes = MessageCodec.encode(WriteRequest.of(List.of(SqlStatement.of("INSERT INTO t VALUES (?)",
                List.of(ARRAY)))));
        bytes[0] = 4;
        assertThatThrownBy(() -> MessageCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("needs format version 6");
    }

    @Test
    void arraysNestedTooDeepAreRefused() {
        Value v = Value.of(ValueType.INTEGER, 1);
        for (int i = 0; i <= ArrayValue.MAX_DEPTH; i++) {
            v = Value.of(ValueType.ARRAY, new ArrayValue(Types.ARRAY, "", List.of(v)));
        }
        byte[] bytes = MessageCodec.encode(WriteRequest.of(List.of(SqlStatement.of("INSERT INTO t VALUES (?)",
                List.of(v)))));
        assertThatThrownBy(() -> MessageCodec.decodeRequest(bytes)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("nested deeper");
    }
}
