package org.lockstepdb.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.List;
import java.util.UUID;

/**
 * Writes the primitive pieces of the wire format (big-endian, length-prefixed strings and bytes), into a byte
 * array or, for a digest over the same encoding ({@link OutcomeDigest}), into any sink.
 */
final class WireOutput {
    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;
    /** Whether a value of a type that needs wire format 6 was written ({@link ValueType#sinceVersion6()}). */
    private boolean wroteVersion6Values;

    WireOutput() {
        this.bytes = new ByteArrayOutputStream(256);
        this.out = new DataOutputStream(bytes);
    }

    /** Writes into {@code sink}; {@link #toByteArray()} is not available. */
    WireOutput(OutputStream sink) {
        this.bytes = null;
        this.out = new DataOutputStream(sink);
    }

    byte[] toByteArray() {
        if (bytes == null) {
            throw new IllegalStateException("this output writes into a sink, not a byte array");
        }
        return bytes.toByteArray();
    }

    WireOutput writeByte(int b) {
        return io(() -> out.writeByte(b));
    }

    WireOutput writeBoolean(boolean b) {
        return io(() -> out.writeBoolean(b));
    }

    WireOutput writeInt(int i) {
        return io(() -> out.writeInt(i));
    }

    WireOutput writeLong(long l) {
        return io(() -> out.writeLong(l));
    }

    WireOutput writeBytes(byte[] b) {
        return io(() -> {
            out.writeInt(b.length);
            out.write(b);
        });
    }

    WireOutput writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A string that may be null: a presence flag, then the string. */
    WireOutput writeOptionalString(String s) {
        writeBoolean(s != null);
        return s == null ? this : writeString(s);
    }

    WireOutput writeStrings(List<String> strings) {
        writeInt(strings.size());
        strings.forEach(this::writeString);
        return this;
    }

    WireOutput writeValue(Value v) {
        writeByte(v.type().tag());
        Object o = v.value();
        switch (v.type()) {
            case NULL: return this;
            case BOOLEAN: return writeBoolean((Boolean) o);
            case TINYINT: return writeByte((Byte) o);
            case SMALLINT: return writeInt((Short) o);
            case INTEGER: return writeInt((Integer) o);
            case BIGINT: return writeLong((Long) o);
            case REAL: return writeInt(Float.floatToRawIntBits((Float) o));
            case DOUBLE: return writeLong(Double.doubleToRawLongBits((Double) o));
            case DECIMAL: {
                BigDecimal d = (BigDecimal) o;
                writeInt(d.scale());
                return writeBytes(d.unscaledValue().toByteArray());
            }
            case CHAR: case VARCHAR: case CLOB: return writeString((String) o);
            case VARBINARY: case BLOB: case JSON: return writeBytes((byte[]) o);
            case DATE: return writeLong(((LocalDate) o).toEpochDay());
            case TIME: return writeLong(((LocalTime) o).toNanoOfDay());
            case TIME_WITH_TIME_ZONE: {
                OffsetTime t = (OffsetTime) o;
                writeLong(t.toLocalTime().toNanoOfDay());
                return writeInt(t.getOffset().getTotalSeconds());
            }
            case TIMESTAMP: return writeLocalDateTime((LocalDateTime) o);
            case TIMESTAMP_WITH_TIME_ZONE: {
                OffsetDateTime t = (OffsetDateTime) o;
                writeLocalDateTime(t.toLocalDateTime());
                return writeInt(t.getOffset().getTotalSeconds());
            }
            case UUID: {
                UUID u = (UUID) o;
                writeLong(u.getMostSignificantBits());
                return writeLong(u.getLeastSignificantBits());
            }
            case ARRAY: {
                wroteVersion6Values = true;
                ArrayValue a = (ArrayValue) o;
                writeInt(a.baseJdbcType()).writeString(a.baseTypeName());
                return writeValues(a.elements());
            }
            case INTERVAL: {
                wroteVersion6Values = true;
                IntervalValue i = (IntervalValue) o;
                writeByte(i.qualifier().ordinal()).writeBoolean(i.negative()).writeLong(i.leading());
                return writeLong(i.remaining());
            }
            default: throw new IllegalStateException("unhandled type " + v.type());
        }
    }

    /** Whether the message holds values that older readers cannot read: it must say format version 6 or later. */
    boolean wroteVersion6Values() {
        return wroteVersion6Values;
    }

    WireOutput writeValues(List<Value> values) {
        writeInt(values.size());
        values.forEach(this::writeValue);
        return this;
    }

    private WireOutput writeLocalDateTime(LocalDateTime t) {
        writeLong(t.toLocalDate().toEpochDay());
        return writeLong(t.toLocalTime().toNanoOfDay());
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private WireOutput io(IoAction action) {
        try {
            action.run();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: the sink is a byte array
        }
    }
}
