package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.storage.SqlStore;

/** Reads straight from one replica's {@link SqlStore} (not through the cluster), and lists its snapshot files. */
final class StoreQueries {
    /** Ratis' snapshot file name: {@code snapshot.<term>_<index>} (the .md5 sits next to it). */
    static final Pattern SNAPSHOT_NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

    private StoreQueries() {
    }

    static List<List<Object>> rows(SqlStore store, String sql) {
        Reply reply = store.query(new QueryRequest(sql, List.of(), 0));
        assertThat(reply).as("reply to %s", sql).isInstanceOf(QueryResult.class);
        List<List<Object>> rows = new ArrayList<>();
        for (List<Value> row : ((QueryResult) reply).data().rows()) {
            rows.add(row.stream().map(Value::value).toList());
        }
        return rows;
    }

    static long scalar(SqlStore store, String sql) {
        List<List<Object>> rows = rows(store, sql);
        assertThat(rows).as("rows of %s", sql).hasSize(1);
        return ((Number) rows.get(0).get(0)).longValue();
    }

    /** A snapshot file in a replica's sm/ directory with the term and index of its name. */
    record SnapshotName(Path file, long term, long index) {
    }

    /** The snapshot files (not .md5, not temporary copies) in {@code smDir}, oldest index first. */
    static List<SnapshotName> snapshotFiles(Path smDir) throws IOException {
        if (!Files.isDirectory(smDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(smDir)) {
            return files.map(f -> {
                        Matcher m = SNAPSHOT_NAME.matcher(f.getFileName().toString());
                        return m.matches() ? new SnapshotName(f, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
                    })
                    .filter(java.util.Objects::nonNull)
                    .sorted(java.util.Comparator.comparingLong(SnapshotName::index))
                    .toList();
        }
    }
}
