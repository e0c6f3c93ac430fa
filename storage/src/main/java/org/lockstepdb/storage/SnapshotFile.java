package org.lockstepdb.storage;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The one file format for Raft snapshots and user backups. All integers are big-endian.
 *
 * <pre>
 * offset  size  field
 *      0    16  magic: the ASCII bytes "LOCKSTEPDB-SNAP\n"
 *     16     4  format version (int) = 3 (1 and 2 are still read)
 *     20     8  term of the last applied log entry contained (long)
 *     28     8  index of the last applied log entry contained (long, -1 = empty database)
 *     36     8  creation time, milliseconds since the epoch (long, informational)
 *     44     4  payload codec (int) = 1: H2 SQL script, UTF-8, gzip-compressed
 *     48     n  payload: the gzip stream (RFC 1952) of the SQL script
 *   48+n     8  trailer magic: the ASCII bytes "LSDB-END"
 *   56+n     8  payload length n (long)
 *   64+n    32  SHA-256 of bytes [0, 48+n): header and payload
 * </pre>
 *
 * The payload is a logical dump of every user schema (tables, rows, sequences, identity columns with their
 * next values, indexes, constraints, views, triggers...), produced by H2's {@code SCRIPT} command and
 * replayable with {@code RUNSCRIPT}. It contains no users, passwords or rights; the applied index is carried by
 * the header only. Version 2 appends one section of LockstepDB bookkeeping after the user dump: an
 * {@code INSERT INTO LOCKSTEP_SYS.CLIENT_CALLS} statement per remembered client call (see
 * {@link ClientCallsTable}), so that a replica rebuilt from the snapshot still recognizes retried writes.
 * Version 1 (no such section) is identical otherwise and still loads, with no client calls. Version 3 writes
 * a constraint that owns an index with that index under its recorded name ({@link ConstraintIndexes}; {@code
 * CREATE PRIMARY KEY}, which only {@link DatabaseBuilder} runs), which version-2 builds cannot load. A file is valid only if its magic,
 * version, trailer, payload length (= file size - 96) and checksum all match: a truncated file, a foreign file or
 * one changed byte anywhere is rejected. {@link SnapshotHeader#sha256hex()} is the SHA-256 of the whole file,
 * the value {@code sha256sum} prints, so that operators can compare copies with standard tools.
 *
 * <p>Writing and verifying stream the file (fixed-size buffers): files of any size work.
 */
public final class SnapshotFile {
    static final byte[] MAGIC = "LOCKSTEPDB-SNAP\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] TRAILER_MAGIC = "LSDB-END".getBytes(StandardCharsets.US_ASCII);
    /** The version written; see the class comment for what each version holds. */
    static final int FORMAT_VERSION = 3;
    /** The oldest version still read. */
    static final int OLDEST_READ_VERSION = 1;
    static final int CODEC_H2_SCRIPT_GZIP = 1;
    static final int HEADER_BYTES = 48;
    static final int TRAILER_BYTES = 48;
    private static final int BUFFER_BYTES = 1 << 20;

    private SnapshotFile() {
    }

    /**
     * Starts writing a snapshot file. The data goes to {@code target + ".tmp"}; {@link Writer#finish()} syncs it
     * and renames it to {@code target}, so a reader never sees a half-written file under the target name.
     */
    public static Writer create(Path target, long term, long index, long createdMillis) throws IOException {
        return new Writer(target, term, index, createdMillis, FORMAT_VERSION);
    }

    /** Writes an older format version (tests that pin how old files load). */
    static Writer create(Path target, long term, long index, long createdMillis, int version) throws IOException {
        return new Writer(target, term, index, createdMillis, version);
    }

    /** Writes one file: header now, then the payload through {@link #payload()}, the trailer in {@link #finish()}. */
    public static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path temp;
        private final long term;
        private final long index;
        private final long createdMillis;
        private final FileChannel channel;
        private final MessageDigest digest = sha256();
        private final CountingOutputStream fileOut;
        private final CountingOutputStream payloadCounter;
        private final GZIPOutputStream gzip;
        private boolean done;

        private Writer(Path target, long term, long index, long createdMillis, int version) throws IOException {
            if (index < -1) {
                throw new IllegalArgumentException("index must be >= -1");
            }
            this.target = target.toAbsolutePath();
            this.temp = this.target.resolveSibling(this.target.getFileName() + ".tmp");
            this.term = term;
            this.index = index;
            this.createdMillis = createdMillis;
            Files.createDirectories(this.target.getParent());
            this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            try {
                this.fileOut = new CountingOutputStream(new DigestOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), digest));
                DataOutputStream header = new DataOutputStream(fileOut);
                header.write(MAGIC);
                header.writeInt(version);
                header.writeLong(term);
                header.writeLong(index);
                header.writeLong(createdMillis);
                header.writeInt(CODEC_H2_SCRIPT_GZIP);
                header.flush();
                assert fileOut.count == HEADER_BYTES;
                this.payloadCounter = new CountingOutputStream(new NonClosing(fileOut));
                this.gzip = new GZIPOutputStream(payloadCounter, 1 << 16);
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        /** The uncompressed payload (the SQL script, UTF-8). Do not close it; call {@link #finish()}. */
        public OutputStream payload() {
            return new NonClosing(gzip);
        }

        /** Completes the file: trailer, fsync, rename to the target name. */
        public SnapshotHeader finish() throws IOException {
            if (done) {
                throw new IllegalStateException("already finished or aborted");
            }
            try {
                gzip.finish();
                long payloadBytes = payloadCounter.count;
                fileOut.flush();
                byte[] sha = digest.digest();
                ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES);
                trailer.put(TRAILER_MAGIC).putLong(payloadBytes).put(sha).flip();
                while (trailer.hasRemaining()) {
                    channel.write(trailer);
                }
                channel.force(true);
                channel.close();
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                FileOps.fsyncDirectory(target.getParent());
                done = true;
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
            try {
                return verify(target); // cheap relative to the export, and the caller gets the whole-file SHA-256
            } catch (InvalidSnapshotException e) {
                throw new IOException("the snapshot just written does not verify: " + e.getMessage(), e);
            }
        }

        /** Abandons the file (deletes the temporary file). Safe to call more than once. */
        public void abort() {
            done = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // best effort
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort
            }
        }

        @Override
        public void close() {
            if (!done) {
                abort();
            }
        }

        long term() {
            return term;
        }

        long index() {
            return index;
        }

        long createdMillis() {
            return createdMillis;
        }
    }

    /**
     * Checks that the file is a complete, intact snapshot/backup, reading it once from start to end.
     *
     * @throws InvalidSnapshotException if it is not (foreign, empty, truncated, corrupt, unknown version)
     */
    public static SnapshotHeader verify(Path file) throws IOException, InvalidSnapshotException {
        long size = Files.size(file);
        if (size == 0) {
            throw new InvalidSnapshotException("not a LockstepDB backup: the file is empty");
        }
        MessageDigest contentDigest = sha256(); // header + payload (what the trailer records)
        MessageDigest fileDigest = sha256(); // the whole file
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            HeaderFields header = readHeaderFields(ch, size);
            long term = header.term();
            long index = header.index();
            long created = header.createdMillis();
            int codec = header.codec();
            long contentBytes = size - TRAILER_BYTES;
            ByteBuffer trailer = readFully(ch, contentBytes, TRAILER_BYTES);
            byte[] t = trailer.array();
            if (!Arrays.equals(t, 0, TRAILER_MAGIC.length, TRAILER_MAGIC, 0, TRAILER_MAGIC.length)) {
                throw new InvalidSnapshotException("truncated or corrupt: expected the trailer at the end of the file "
                        + "(the file was cut short or its end was damaged)");
            }
            long payloadBytes = trailer.getLong(TRAILER_MAGIC.length);
            if (payloadBytes != contentBytes - HEADER_BYTES) {
                throw new InvalidSnapshotException("truncated or corrupt: the trailer records a payload of "
                        + payloadBytes + " bytes but the file holds " + (contentBytes - HEADER_BYTES));
            }
            byte[] expectedSha = Arrays.copyOfRange(t, TRAILER_MAGIC.length + 8, TRAILER_BYTES);
            ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
            long pos = 0;
            while (pos < contentBytes) {
                buf.clear();
                buf.limit((int) Math.min(buf.capacity(), contentBytes - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new InvalidSnapshotException("truncated: the file shrank while it was being verified");
                }
                contentDigest.update(buf.array(), 0, n);
                fileDigest.update(buf.array(), 0, n);
                pos += n;
            }
            if (!MessageDigest.isEqual(contentDigest.digest(), expectedSha)) {
                throw new InvalidSnapshotException("checksum mismatch: file is corrupt (SHA-256 of its contents does "
                        + "not match the one recorded in its trailer)");
            }
            if (codec != CODEC_H2_SCRIPT_GZIP) {
                throw new InvalidSnapshotException("unsupported payload codec " + codec);
            }
            if (index < -1) {
                throw new InvalidSnapshotException("corrupt header: log index " + index);
            }
            fileDigest.update(t);
            return new SnapshotHeader(term, index, created, size, HexFormat.of().formatHex(fileDigest.digest()));
        }
    }

    /**
     * The log index a snapshot file says it holds, from its header alone (magic and version checked; the
     * checksum is not: {@link #verify} reads the whole file). Cheap enough for every start-up decision.
     */
    public static long indexOf(Path file) throws IOException, InvalidSnapshotException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeaderFields(ch, Files.size(file)).index();
        }
    }

    /**
     * The term and index of the last entry a snapshot file holds, from its header alone (like {@link #indexOf}).
     * A database rebuilt from the file has exactly this applied index.
     */
    public static AppliedIndex appliedIndexOf(Path file) throws IOException, InvalidSnapshotException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            HeaderFields h = readHeaderFields(ch, Files.size(file));
            return new AppliedIndex(h.term(), h.index());
        }
    }

    private record HeaderFields(long term, long index, long createdMillis, int codec) {
    }

    private static HeaderFields readHeaderFields(FileChannel ch, long size) throws IOException, InvalidSnapshotException {
        if (size == 0) {
            throw new InvalidSnapshotException("not a LockstepDB backup: the file is empty");
        }
        byte[] h = readFully(ch, 0, (int) Math.min(HEADER_BYTES, size)).array();
        if (h.length < MAGIC.length || !Arrays.equals(h, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new InvalidSnapshotException("not a LockstepDB backup: bad magic (the file does not start with "
                    + "the LockstepDB snapshot signature)");
        }
        if (size < HEADER_BYTES + TRAILER_BYTES) {
            throw new InvalidSnapshotException("truncated: expected a header and a trailer (" + (HEADER_BYTES
                    + TRAILER_BYTES) + " bytes at least), the file has " + size + " bytes");
        }
        ByteBuffer hb = ByteBuffer.wrap(h);
        hb.position(MAGIC.length);
        int version = hb.getInt();
        if (version < OLDEST_READ_VERSION || version > FORMAT_VERSION) {
            throw new InvalidSnapshotException("unsupported backup format version " + version
                    + " (this build reads versions " + OLDEST_READ_VERSION + " to " + FORMAT_VERSION
                    + ") or corrupt header");
        }
        return new HeaderFields(hb.getLong(), hb.getLong(), hb.getLong(), hb.getInt());
    }

    /**
     * The uncompressed payload (SQL script, UTF-8) of a file that {@link #verify} accepted. The stream reads the
     * file lazily; close it.
     */
    static InputStream openPayload(Path file) throws IOException {
        long size = Files.size(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            byte[] magic = new byte[MAGIC.length];
            DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException("not a LockstepDB backup: " + file);
            }
            ch.position(HEADER_BYTES);
            long payloadBytes = size - HEADER_BYTES - TRAILER_BYTES;
            InputStream bounded = new BoundedInputStream(Channels.newInputStream(ch), payloadBytes);
            return new GZIPInputStream(new java.io.BufferedInputStream(bounded, 1 << 16), 1 << 16);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                break;
            }
        }
        if (b.hasRemaining()) {
            return ByteBuffer.wrap(Arrays.copyOf(b.array(), b.position()));
        }
        return b;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Lets callers close the stream they were handed without closing (or finishing) what lies beneath. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
