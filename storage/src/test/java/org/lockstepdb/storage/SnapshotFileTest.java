package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.write;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {
    @TempDir
    Path dir;

    private Path valid;
    private String payloadText;

    @BeforeEach
    void writeValidFile() throws Exception {
        StringBuilder sb = new StringBuilder();
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            sb.append("INSERT INTO T VALUES (").append(i).append(", '").append(random.nextLong()).append("');\n");
        }
        payloadText = sb.toString();
        valid = dir.resolve("valid.lsdb");
        try (SnapshotFile.Writer w = SnapshotFile.create(valid, 7, 12345, 1_700_000_000_000L)) {
            OutputStream out = w.payload();
            out.write(payloadText.getBytes(StandardCharsets.UTF_8));
            SnapshotHeader h = w.finish();
            assertThat(h.term()).isEqualTo(7);
        }
    }

    @Test
    void roundTrip() throws Exception {
        SnapshotHeader h = SnapshotFile.verify(valid);
        assertThat(h.term()).isEqualTo(7);
        assertThat(h.index()).isEqualTo(12345);
        assertThat(h.createdMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(h.sizeBytes()).isEqualTo(Files.size(valid));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(valid)));
        assertThat(h.sha256hex()).isEqualTo(sha); // what sha256sum prints
        try (InputStream in = SnapshotFile.openPayload(valid)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(payloadText);
        }
        byte[] head = Arrays.copyOf(Files.readAllBytes(valid), 16);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("LOCKSTEPDB-SNAP\n");
        assertThat(Files.exists(dir.resolve("valid.lsdb.tmp"))).isFalse();
    }

    @Test
    void rejectsTruncatedFiles() throws Exception {
        byte[] all = Files.readAllBytes(valid);
        int[] cuts = {1, 10, 16, 47, 48, 60, 95, 96, all.length / 2, all.length - 49, all.length - 48, all.length - 20,
                all.length - 1};
        for (int cut : cuts) {
            Path f = dir.resolve("cut-" + cut);
            Files.write(f, Arrays.copyOf(all, cut));
            assertThatThrownBy(() -> SnapshotFile.verify(f)).as("cut at %d", cut)
                    .isInstanceOf(InvalidSnapshotException.class)
                    .hasMessageMatching("(?s).*(truncated|bad magic).*");
        }
        Path f = dir.resolve("cut-mid");
        Files.write(f, Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> SnapshotFile.verify(f)).hasMessageContaining("truncated");
    }

    @Test
    void rejectsAnyFlippedByte() throws Exception {
        byte[] all = Files.readAllBytes(valid);
        int[] positions = {0, 15, 17, 19, 25, 33, 40, 45, 47, 48, 60, all.length / 3, all.length / 2,
                all.length - 49, all.length - 48, all.length - 41, all.length - 33, all.length - 20, all.length - 1};
        for (int p : positions) {
            byte[] copy = all.clone();
            copy[p] ^= 0x01;
            Path f = dir.resolve("flip-" + p);
            Files.write(f, copy);
            assertThatThrownBy(() -> SnapshotFile.verify(f)).as("flipped byte at %d of %d", p, all.length)
                    .isInstanceOf(InvalidSnapshotException.class);
        }
        byte[] copy = all.clone();
        copy[all.length / 2] ^= 0x40;
        Path f = dir.resolve("flip-payload");
        Files.write(f, copy);
        assertThatThrownBy(() -> SnapshotFile.verify(f)).hasMessageContaining("checksum mismatch: file is corrupt");
    }

    @Test
    void rejectsForeignFiles() throws Exception {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> SnapshotFile.verify(empty)).isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining("not a LockstepDB backup");
        byte[] random = new byte[100_000];
        new Random(1).nextBytes(random);
        Path noise = Files.write(dir.resolve("noise"), random);
        assertThatThrownBy(() -> SnapshotFile.verify(noise)).hasMessageContaining("not a LockstepDB backup: bad magic");
        Path text = Files.writeString(dir.resolve("dump.sql"), payloadText);
        assertThatThrownBy(() -> SnapshotFile.verify(text)).hasMessageContaining("bad magic");
        // magic right, the rest foreign
        byte[] fake = random.clone();
        System.arraycopy(SnapshotFile.MAGIC, 0, fake, 0, 16);
        Path fakeFile = Files.write(dir.resolve("fake"), fake);
        assertThatThrownBy(() -> SnapshotFile.verify(fakeFile)).isInstanceOf(InvalidSnapshotException.class);

        Path storeDir = dir.resolve("store");
        try (SqlStore store = SqlStore.open(storeDir)) {
            ok(store.apply(1, 1, write("CREATE TABLE t(id INT)")));
        }
        Path mvDb;
        try (Stream<Path> files = Files.list(storeDir.resolve("h2"))) {
            mvDb = files.filter(p -> p.toString().endsWith(".mv.db")).findFirst().orElseThrow();
        }
        assertThatThrownBy(() -> SnapshotFile.verify(mvDb)).hasMessageContaining("not a LockstepDB backup: bad magic");
        assertThatThrownBy(() -> OfflineRestore.restoreFrom(dir.resolve("other"), mvDb))
                .isInstanceOf(InvalidSnapshotException.class);
    }

    @Test
    void anAbortedWriterLeavesNothing() throws Exception {
        Path f = dir.resolve("aborted.lsdb");
        try (SnapshotFile.Writer w = SnapshotFile.create(f, 1, 1, 0)) {
            w.payload().write(new byte[1000]);
            // no finish(): close() aborts
        }
        assertThat(f).doesNotExist();
        assertThat(dir.resolve("aborted.lsdb.tmp")).doesNotExist();
    }
}
