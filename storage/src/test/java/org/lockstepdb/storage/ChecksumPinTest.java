package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checksum pinned at one index is that index's checksum, whatever is applied while it is computed. */
class ChecksumPinTest {
    @TempDir
    Path dir;
    SqlStore store;

    @BeforeEach
    void open() throws Exception {
        store = SqlStore.open(dir);
        ok(store.apply(1, 1, write("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(20))")));
        ok(store.apply(1, 2, write("INSERT INTO t SELECT X, 'v' || X FROM SYSTEM_RANGE(1, 1000)")));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void writesAppliedAfterThePinDoNotChangeIt() throws Exception {
        Checksum atTwo = store.checksums().consistentChecksum();
        ChecksumPin pin = store.checksums().pin();
        ok(store.apply(1, 3, write("UPDATE t SET v = 'changed' WHERE id < 500")));
        ok(store.apply(1, 4, write("INSERT INTO t VALUES (5000, 'new')")));
        Checksum pinned = CompletableFuture.supplyAsync(() -> {
            try {
                return pin.compute();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(pinned).isEqualTo(atTwo);
        assertThat(pin.appliedIndex().index()).isEqualTo(2);
        assertThat(store.checksums().consistentChecksum().hex()).isNotEqualTo(atTwo.hex());
    }

    @Test
    void aSchemaChangeMeanwhileFailsInsteadOfMixingStates() throws Exception {
        ChecksumPin pin = store.checksums().pin();
        ok(store.apply(1, 3, write("CREATE TABLE u(id INT)")));
        assertThatThrownBy(pin::compute).isInstanceOf(IOException.class).hasMessageContaining("schema change");
    }

    @Test
    void aClosedStoreCannotBePinned() {
        store.close();
        assertThatThrownBy(store.checksums()::pin).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }
}
