package org.lockstepdb.protocol;

import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * SHA-256 (32 bytes) over the wire encoding of a result: each column's type (value type tag, SQL type name,
 * precision, scale), then the rows in the order returned, each value exactly as {@link MessageCodec} encodes
 * it, then the row count. Labels and table names are not part of it (they come from the statement text, which
 * is the same). Rows are fed one at a time, so a digest over a large result needs no materialized copy.
 *
 * <p>Two results have the same digest exactly when they have the same column types and the same values in the
 * same order (up to SHA-256 collisions), on any host: this is what a transaction's commit compares.
 */
public final class OutcomeDigest {
    /** Digest length in bytes. */
    public static final int LENGTH = 32;

    private final MessageDigest sha256;
    private final WireOutput out;
    private long rows;

    private OutcomeDigest(List<ColumnMeta> columns) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        out = new WireOutput(new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
        out.writeInt(columns.size());
        for (ColumnMeta c : columns) {
            out.writeByte(c.valueType().tag()).writeString(c.typeName()).writeInt(c.precision()).writeInt(c.scale());
        }
    }

    /** Starts a digest of a result with these columns. */
    public static OutcomeDigest begin(List<ColumnMeta> columns) {
        return new OutcomeDigest(columns);
    }

    /** The digest of a whole materialized result. */
    public static byte[] of(ResultData data) {
        OutcomeDigest d = begin(data.columns());
        data.rows().forEach(d::addRow);
        return d.finish();
    }

    /** Adds the next row (one value per column, in column order). */
    public void addRow(List<Value> row) {
        out.writeBoolean(true);
        row.forEach(out::writeValue);
        rows++;
    }

    /** The 32-byte digest; the instance is used up. */
    public byte[] finish() {
        out.writeBoolean(false).writeLong(rows);
        return sha256.digest();
    }
}
