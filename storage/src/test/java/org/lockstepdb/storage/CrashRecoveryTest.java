package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.scalar;
import static org.lockstepdb.storage.Entries.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void aCleanCloseKeepsDataAndIndex() throws Exception {
        try (SqlStore store = SqlStore.open(dir.resolve("r"))) {
            ok(store.apply(1, 1, write("CREATE TABLE t(id INT)")));
            ok(store.apply(1, 2, write("INSERT INTO t VALUES 1")));
        }
        assertThat(dir.resolve("r").resolve(StoreDirectory.MARKER)).exists();
        try (SqlStore store = SqlStore.open(dir.resolve("r"))) {
            assertThat(dir.resolve("r").resolve(StoreDirectory.MARKER)).doesNotExist(); // deleted while open
            assertThat(store.recoveredFromCrash()).isFalse();
            assertThat(store.appliedIndex()).isEqualTo(new AppliedIndex(1, 2));
            assertThat(scalar(store, "SELECT COUNT(*) FROM t")).isEqualTo(1L);
        }
    }

    @Test
    void aStoreThatWasNotClosedIsDiscardedAndRebuiltFromScratch() throws Exception {
        Path live = dir.resolve("live");
        Path crashed = dir.resolve("crashed");
        try (SqlStore store = SqlStore.open(live)) {
            ok(store.apply(1, 1, write("CREATE TABLE t(id INT)")));
            ok(store.apply(1, 2, write("INSERT INTO t VALUES 1")));
            copyTree(live, crashed); // the image a kill -9 leaves: H2 files, no marker
        }
        assertThat(crashed.resolve(StoreDirectory.MARKER)).doesNotExist();
        try (SqlStore store = SqlStore.open(crashed)) {
            assertThat(store.recoveredFromCrash()).isTrue();
            assertThat(store.appliedIndex()).isEqualTo(AppliedIndex.NONE);
            assertThat(scalar(store, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'T'"))
                    .isEqualTo(0L);
            // the log replay rebuilds it
            ok(store.apply(1, 1, write("CREATE TABLE t(id INT)")));
            ok(store.apply(1, 2, write("INSERT INTO t VALUES 1")));
            assertThat(crashCopies(crashed)).as("kept for diagnosis while the rebuild runs").isEqualTo(1);
        }
        assertThat(crashCopies(crashed)).as("deleted once the rebuilt store closed cleanly").isZero();
        try (SqlStore store = SqlStore.open(crashed)) { // closed cleanly this time
            assertThat(store.recoveredFromCrash()).isFalse();
            assertThat(store.appliedIndex().index()).isEqualTo(2);
        }
    }

    @Test
    void onlyTheNewestCrashCopyIsKept() throws Exception {
        Path d = dir.resolve("r");
        for (int crash = 0; crash < 3; crash++) {
            try (SqlStore store = SqlStore.open(d)) {
                ok(store.apply(1, 1, write("CREATE TABLE t(id INT)")));
            }
            Files.delete(d.resolve(StoreDirectory.MARKER)); // as if the run had been killed
            Thread.sleep(5); // distinct aside names
        }
        try (SqlStore store = SqlStore.open(d)) {
            assertThat(store.recoveredFromCrash()).isTrue();
            assertThat(crashCopies(d)).isEqualTo(1);
        }
    }

    @Test
    void theCrashCopyIsDeletedWhenTheRebuildIsReported() throws Exception {
        Path d = dir.resolve("r");
        try (SqlStore store = SqlStore.open(d)) {
            ok(store.apply(1, 1, write("CREATE TABLE t(id INT)")));
        }
        Files.delete(d.resolve(StoreDirectory.MARKER)); // as if the run had been killed
        try (SqlStore store = SqlStore.open(d)) {
            assertThat(crashCopies(d)).isEqualTo(1);
            ok(store.apply(1, 1, write("CREATE TABLE t(id INT)")));
            store.discardCrashCopies(); // the replica calls it when the replay reached the commit index
            assertThat(crashCopies(d)).isZero();
            assertThat(d.resolve("h2")).isDirectory();
            assertThat(store.appliedIndex().index()).isEqualTo(1);
        }
    }

    private static long crashCopies(Path storeDir) throws IOException {
        try (Stream<Path> aside = Files.list(storeDir)) {
            return aside.filter(p -> p.getFileName().toString().startsWith("h2-crashed-")).count();
        }
    }

    @Test
    void aFreshDirectoryIsNotACrash() throws Exception {
        try (SqlStore store = SqlStore.open(dir.resolve("new"))) {
            assertThat(store.recoveredFromCrash()).isFalse();
            assertThat(store.appliedIndex()).isEqualTo(AppliedIndex.NONE);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
