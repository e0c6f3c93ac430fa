package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.query;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.ErrorReply;

/**
 * What H2 names or numbers on its own must not depend on a replica's history: index names generated during
 * {@code ALTER TABLE} ({@link TempTableNames}) and hidden row keys in error messages ({@link H2ErrorClassifier}).
 */
class GeneratedNamesTest {
    private static final String INDEXES = "SELECT TABLE_NAME || ' ' || INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES "
            + "WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY 1";

    @TempDir
    Path dir;

    /** The same entries on a store that stays open and on one reopened between two ALTER TABLEs. */
    @Test
    void alterTableNamesIndexesAlikeWhetherOrNotTheStoreReopened() throws Exception {
        // a dozen ALTER TABLEs: H2's temporary table counter of the store that stays open reaches two digits
        String[] before = Stream.concat(Stream.of("CREATE TABLE t(id INT PRIMARY KEY, a INT UNIQUE)",
                "CREATE TABLE u(id INT PRIMARY KEY)"), IntStream.range(0, 12).mapToObj(i -> "ALTER TABLE u ADD COLUMN x"
                + i + " INT")).toArray(String[]::new);
        String[] after = {"ALTER TABLE t ADD COLUMN x INT", "ALTER TABLE u DROP COLUMN x0"};
        try (SqlStore open = SqlStore.open(dir.resolve("open"))) {
            long index = applyAll(open, 0, before);
            SqlStore reopened = SqlStore.open(dir.resolve("reopened"));
            applyAll(reopened, 0, before);
            reopened.close();
            reopened = SqlStore.open(dir.resolve("reopened"));
            try (SqlStore r = reopened) {
                applyAll(open, index, after);
                applyAll(r, index, after);
                assertThat(rows(r)).isEqualTo(rows(open)).contains("T PRIMARY_KEY_");
            }
        }
    }

    @Test
    void aUniqueViolationDoesNotNameTheHiddenRowKey() throws Exception {
        try (SqlStore store = SqlStore.open(dir.resolve("s"))) {
            ok(store.apply(1, 1, write("CREATE TABLE t(a VARCHAR(10), b INT)")));
            ok(store.apply(1, 2, write("CREATE UNIQUE INDEX t_a ON t(a)")));
            ok(store.apply(1, 3, write("INSERT INTO t VALUES ('x', 1)")));
            ErrorReply e = (ErrorReply) store.apply(1, 4, write("INSERT INTO t VALUES ('x', 2)")).orElseThrow();
            assertThat(e.sqlState()).isEqualTo("23505");
            assertThat(e.message()).contains("PUBLIC.T_A ON PUBLIC.T(A NULLS FIRST) VALUES ( 'x' )")
                    .doesNotContain("/*");
        }
    }

    private static long applyAll(SqlStore store, long index, String... sql) {
        for (String s : sql) {
            ok(store.apply(1, ++index, write(s)));
        }
        return index;
    }

    private static String rows(SqlStore store) {
        StringBuilder out = new StringBuilder();
        query(store, INDEXES).data().rows().forEach(r -> out.append(r.get(0).value()).append('\n'));
        return out.toString();
    }
}
