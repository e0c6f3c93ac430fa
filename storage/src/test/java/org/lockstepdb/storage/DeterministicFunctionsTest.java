package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.query;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.Value;

/** RAND/RANDOM/RANDOM_UUID/UUID in writes: the same per-row values on every replica, different per entry. */
class DeterministicFunctionsTest {
    @TempDir
    Path dir;

    @Test
    void perRowRandomnessIsIdenticalOnTwoReplicas() throws Exception {
        try (SqlStore a = SqlStore.open(dir.resolve("a")); SqlStore b = SqlStore.open(dir.resolve("b"))) {
            for (SqlStore s : List.of(a, b)) {
                ok(s.apply(1, 1, write("CREATE TABLE t (id INT PRIMARY KEY, x DOUBLE, u UUID, r DOUBLE)")));
                ok(s.apply(1, 2, write("INSERT INTO t (id) SELECT X FROM SYSTEM_RANGE(1, 50)")));
                ok(s.apply(1, 3, write("UPDATE t SET x = RAND(), u = RANDOM_UUID(), r = random()",
                        "INSERT INTO t VALUES (100, RAND(), UUID(), RAND())")));
            }
            assertThat(a.checksum()).isEqualTo(b.checksum());

            List<List<Value>> rows = query(a, "SELECT x, u FROM t ORDER BY id").data().rows();
            Set<Object> xs = new HashSet<>();
            Set<Object> us = new HashSet<>();
            rows.forEach(r -> {
                xs.add(r.get(0).value());
                us.add(r.get(1).value());
            });
            assertThat(xs).as("a fresh value per row").hasSize(51);
            assertThat(us).hasSize(51);
            assertThat(((java.util.UUID) rows.get(0).get(1).value()).version()).isEqualTo(4);
        }
    }

    @Test
    void valuesDependOnTheLogIndexAndReplayReproducesThem() throws Exception {
        try (SqlStore a = SqlStore.open(dir.resolve("a")); SqlStore b = SqlStore.open(dir.resolve("b"))) {
            ok(a.apply(1, 1, write("CREATE TABLE t (x DOUBLE)")));
            ok(b.apply(1, 1, write("CREATE TABLE t (x DOUBLE)")));
            ok(a.apply(1, 2, write("INSERT INTO t VALUES (RAND())")));
            ok(b.apply(1, 3, write("INSERT INTO t VALUES (RAND())")));
            assertThat(a.checksum()).isNotEqualTo(b.checksum());
        }
        try (SqlStore c = SqlStore.open(dir.resolve("c"))) {
            ok(c.apply(1, 1, write("CREATE TABLE t (x DOUBLE)")));
            ok(c.apply(1, 2, write("INSERT INTO t VALUES (RAND())")));
            try (SqlStore a = SqlStore.open(dir.resolve("a"))) {
                assertThat(c.checksum()).isEqualTo(a.checksum());
            }
        }
    }
}
