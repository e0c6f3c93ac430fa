package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.query;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seeded RAND/UUID streams: the same on every replica, and never overlapping across entries or statements. */
class DeterministicFunctionsTest {
    @Test
    void aMillionDrawsAcrossEntriesStatementsExecutionsAndCallsNeverRepeat() {
        Set<Long> seen = new HashSet<>(2_000_000);
        int draws = 0;
        try {
            for (long logIndex = 1; logIndex <= 250; logIndex++) {
                for (int statement = 0; statement < 4; statement++) {
                    for (int execution = 0; execution < 10; execution++) {
                        DeterministicFunctions.seed(logIndex, statement, execution);
                        for (int call = 0; call < 100; call++) {
                            UUID u = DeterministicFunctions.randomUuid();
                            assertThat(seen.add(u.getMostSignificantBits() ^ u.getLeastSignificantBits() * 31))
                                    .as("draw %d (index %d, statement %d, execution %d, call %d) repeats", draws,
                                            logIndex, statement, execution, call)
                                    .isTrue();
                            draws++;
                        }
                    }
                }
            }
        } finally {
            DeterministicFunctions.clear();
        }
        assertThat(draws).isEqualTo(1_000_000);
    }

    @Test
    void theSameKeyGivesTheSameValues() {
        DeterministicFunctions.seed(42, 1, 3);
        double a = DeterministicFunctions.rand();
        UUID b = DeterministicFunctions.randomUuid();
        DeterministicFunctions.seed(42, 1, 3);
        assertThat(DeterministicFunctions.rand()).isEqualTo(a);
        assertThat(DeterministicFunctions.randomUuid()).isEqualTo(b);
        DeterministicFunctions.clear();
    }

    @Test
    void consecutiveEntriesDrawingUuidKeysDoNotCollide(@TempDir Path dir) throws Exception {
        try (SqlStore store = SqlStore.open(dir)) {
            ok(store.apply(1, 1, write("CREATE TABLE u(id UUID PRIMARY KEY, n INT)")));
            ok(store.apply(1, 2, write("CREATE TABLE r(n INT, x DOUBLE PRECISION)")));
            for (long index = 3; index < 43; index += 2) {
                ok(store.apply(1, index, write("INSERT INTO u SELECT RANDOM_UUID(), X FROM SYSTEM_RANGE(1, 3)")));
                ok(store.apply(1, index + 1, write("INSERT INTO r SELECT X, RAND() FROM SYSTEM_RANGE(1, 3)")));
            }
            assertThat(query(store, "SELECT COUNT(*), COUNT(DISTINCT id) FROM u").data().rows().get(0))
                    .extracting(v -> v.value()).containsExactly(60L, 60L);
            assertThat(query(store, "SELECT COUNT(*), COUNT(DISTINCT x) FROM r").data().rows().get(0))
                    .extracting(v -> v.value()).containsExactly(60L, 60L);
        }
    }
}
