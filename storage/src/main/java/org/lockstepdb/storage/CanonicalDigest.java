package org.lockstepdb.storage;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.HexFormat;
import java.util.UUID;
import org.lockstepdb.protocol.Value;

/**
 * SHA-256 over an unambiguous encoding of strings, numbers and protocol {@link Value}s (every variable-length
 * item is length-prefixed, every value tagged with its type), the same on every host.
 */
final class CanonicalDigest {
    private final MessageDigest sha256;
    private final ByteBuffer scratch = ByteBuffer.allocate(8);

    CanonicalDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    CanonicalDigest putLong(long l) {
        sha256.update(scratch.clear().putLong(l).array(), 0, 8);
        return this;
    }

    CanonicalDigest putBytes(byte[] b) {
        putLong(b.length);
        sha256.update(b);
        return this;
    }

    /** A string that may be null (INFORMATION_SCHEMA columns often are). */
    CanonicalDigest putString(String s) {
        if (s == null) {
            return putLong(-1);
        }
        return putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    CanonicalDigest putValue(Value v) {
        putLong(v.type().tag());
        Object o = v.value();
        switch (v.type()) {
            case NULL -> { }
            case BOOLEAN -> putLong((Boolean) o ? 1 : 0);
            case TINYINT, SMALLINT, INTEGER, BIGINT -> putLong(((Number) o).longValue());
            case REAL -> putLong(Float.floatToIntBits((Float) o)); // canonical NaN
            case DOUBLE -> putLong(Double.doubleToLongBits((Double) o));
            case DECIMAL -> putLong(((BigDecimal) o).scale()).putBytes(((BigDecimal) o).unscaledValue().toByteArray());
            case CHAR, VARCHAR, CLOB -> putString((String) o);
            case VARBINARY, BLOB, JSON -> putBytes((byte[]) o);
            case DATE -> putLong(((LocalDate) o).toEpochDay());
            case TIME -> putLong(((LocalTime) o).toNanoOfDay());
            case TIME_WITH_TIME_ZONE -> putLong(((OffsetTime) o).toLocalTime().toNanoOfDay())
                    .putLong(((OffsetTime) o).getOffset().getTotalSeconds());
            case TIMESTAMP -> putDateTime((LocalDateTime) o);
            case TIMESTAMP_WITH_TIME_ZONE -> putDateTime(((OffsetDateTime) o).toLocalDateTime())
                    .putLong(((OffsetDateTime) o).getOffset().getTotalSeconds());
            case UUID -> putLong(((UUID) o).getMostSignificantBits()).putLong(((UUID) o).getLeastSignificantBits());
            case ARRAY -> {
                org.lockstepdb.protocol.ArrayValue a = (org.lockstepdb.protocol.ArrayValue) o;
                putString(a.baseTypeName()).putLong(a.elements().size());
                a.elements().forEach(this::putValue);
            }
            case INTERVAL -> {
                org.lockstepdb.protocol.IntervalValue i = (org.lockstepdb.protocol.IntervalValue) o;
                putLong(i.qualifier().ordinal()).putLong(i.negative() ? 1 : 0).putLong(i.leading())
                        .putLong(i.remaining());
            }
        }
        return this;
    }

    private CanonicalDigest putDateTime(LocalDateTime t) {
        return putLong(t.toLocalDate().toEpochDay()).putLong(t.toLocalTime().toNanoOfDay());
    }

    byte[] digest() {
        return sha256.digest(); // also resets, so the instance can hash the next item
    }

    /** The first 8 bytes of the digest, for order-independent sums. */
    long digest64() {
        return ByteBuffer.wrap(digest()).getLong();
    }

    String hex() {
        return HexFormat.of().formatHex(digest());
    }
}
