package org.lockstepdb.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads what {@link WireOutput} wrote. Every length is checked against the bytes that remain, so a corrupt
 * or hostile message fails with a {@link ProtocolException} instead of allocating huge arrays.
 */
final class WireInput {
    private final ByteBuffer buf;
    /** The message's format version, once its header was read: values of later types are corrupt before 5. */
    private int version = MessageCodec.FORMAT_VERSION;
    private int arrayDepth;

    WireInput(byte[] bytes) {
        this.buf = ByteBuffer.wrap(bytes);
    }

    void version(int version) {
        this.version = version;
    }

    int readByte() {
        try {
            return buf.get();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    boolean readBoolean() {
        int b = readByte();
        if (b != 0 && b != 1) {
            throw new ProtocolException("corrupt message: boolean byte " + b);
        }
        return b == 1;
    }

    int readInt() {
        try {
            return buf.getInt();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    long readLong() {
        try {
            return buf.getLong();
        } catch (BufferUnderflowException e) {
            throw truncated();
        }
    }

    /** A count of following items, each at least {@code minBytesPerItem} long: bounded by what remains. */
    int readCount(int minBytesPerItem) {
        int n = readInt();
        if (n < 0 || (long) n * Math.max(1, minBytesPerItem) > buf.remaining()) {
            throw new ProtocolException("corrupt message: count " + n + " with " + buf.remaining() + " bytes left");
        }
        return n;
    }

    byte[] readBytes() {
        int n = readCount(1);
        byte[] b = new byte[n];
        buf.get(b);
        return b;
    }

    String readString() {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    String readOptionalString() {
        return readBoolean() ? readString() : null;
    }

    List<String> readStrings() {
        int n = readCount(4);
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(readString());
        }
        return list;
    }

    Value readValue() {
        ValueType type = ValueType.ofTag(readByte());
        switch (type) {
            case NULL: return Value.NULL;
            case BOOLEAN: return Value.of(type, readBoolean());
            case TINYINT: return Value.of(type, (byte) readByte());
            case SMALLINT: return Value.of(type, (short) readInt());
            case INTEGER: return Value.of(type, readInt());
            case BIGINT: return Value.of(type, readLong());
            case REAL: return Value.of(type, Float.intBitsToFloat(readInt()));
            case DOUBLE: return Value.of(type, Double.longBitsToDouble(readLong()));
            case DECIMAL: {
                int scale = readInt();
                byte[] unscaled = readBytes();
                if (unscaled.length == 0) {
                    throw new ProtocolException("corrupt message: empty DECIMAL");
                }
                return Value.of(type, new BigDecimal(new BigInteger(unscaled), scale));
            }
            case CHAR: case VARCHAR: case CLOB: return Value.of(type, readString());
            case VARBINARY: case BLOB: case JSON: return Value.of(type, readBytes());
            case DATE: return Value.of(type, LocalDate.ofEpochDay(readLong()));
            case TIME: return Value.of(type, LocalTime.ofNanoOfDay(readLong()));
            case TIME_WITH_TIME_ZONE:
                return Value.of(type, OffsetTime.of(LocalTime.ofNanoOfDay(readLong()), offset(readInt())));
            case TIMESTAMP: return Value.of(type, readLocalDateTime());
            case TIMESTAMP_WITH_TIME_ZONE:
                return Value.of(type, OffsetDateTime.of(readLocalDateTime(), offset(readInt())));
            case UUID: return Value.of(type, new UUID(readLong(), readLong()));
            case ARRAY: return Value.of(type, readArray());
            case INTERVAL: {
                requireVersion6(type);
                try {
                    return Value.of(type, new IntervalValue(IntervalValue.Qualifier.ofOrdinal(readByte()),
                            readBoolean(), readLong(), readLong()));
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException("corrupt message: " + e.getMessage(), e);
                }
            }
            default: throw new ProtocolException("unhandled value type " + type);
        }
    }

    private ArrayValue readArray() {
        requireVersion6(ValueType.ARRAY);
        if (++arrayDepth > ArrayValue.MAX_DEPTH) {
            throw new ProtocolException("corrupt message: arrays nested deeper than " + ArrayValue.MAX_DEPTH);
        }
        try {
            return new ArrayValue(readInt(), readString(), readValues());
        } finally {
            arrayDepth--;
        }
    }

    private void requireVersion6(ValueType type) {
        if (version < 6) {
            throw new ProtocolException("corrupt message: a " + type + " value needs format version 6, the message"
                    + " has version " + version);
        }
    }

    List<Value> readValues() {
        int n = readCount(1);
        List<Value> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(readValue());
        }
        return values;
    }

    void expectEnd() {
        if (buf.hasRemaining()) {
            throw new ProtocolException("corrupt message: " + buf.remaining() + " unexpected trailing bytes");
        }
    }

    private LocalDateTime readLocalDateTime() {
        try {
            return LocalDateTime.of(LocalDate.ofEpochDay(readLong()), LocalTime.ofNanoOfDay(readLong()));
        } catch (java.time.DateTimeException e) {
            throw new ProtocolException("corrupt message: bad timestamp", e);
        }
    }

    private static ZoneOffset offset(int seconds) {
        try {
            return ZoneOffset.ofTotalSeconds(seconds);
        } catch (java.time.DateTimeException e) {
            throw new ProtocolException("corrupt message: bad zone offset " + seconds, e);
        }
    }

    private static ProtocolException truncated() {
        return new ProtocolException("truncated message");
    }
}
