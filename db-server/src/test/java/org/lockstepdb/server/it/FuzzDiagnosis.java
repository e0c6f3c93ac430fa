package org.lockstepdb.server.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;
import org.lockstepdb.protocol.Value;
import org.lockstepdb.storage.SqlStore;

/** What a fuzz failure report shows of a replica's (or the reference's) state: tables, sequences, columns, views, indexes. */
final class FuzzDiagnosis {
    private FuzzDiagnosis() {
    }

    static Map<String, List<String>> metadata(SqlStore store) {
        Map<String, List<String>> all = dump(store);
        all.keySet().removeIf(k -> k.startsWith("table "));
        return all;
    }

    static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    static Map<String, List<String>> dump(SqlStore store) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (List<String> t : queryRows(store, "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = "
                + "'PUBLIC' AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")) {
            List<String> rows = queryRows(store, "SELECT * FROM PUBLIC.\"" + t.get(0) + "\"").stream()
                    .map(Object::toString).sorted().collect(Collectors.toList());
            out.put("table " + t.get(0), rows);
        }
        out.put("sequences", queryRows(store, "SELECT SEQUENCE_NAME, BASE_VALUE, INCREMENT, CACHE FROM "
                + "INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = 'PUBLIC' ORDER BY 1").stream()
                .map(Object::toString).toList());
        out.put("columns", queryRows(store, "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_IDENTITY, IDENTITY_BASE, "
                + "COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY 1, 2").stream()
                .map(Object::toString).toList());
        out.put("views", queryRows(store, "SELECT TABLE_NAME, VIEW_DEFINITION, STATUS FROM INFORMATION_SCHEMA.VIEWS "
                + "WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY 1").stream().map(Object::toString).toList());
        out.put("indexes", queryRows(store, "SELECT TABLE_NAME, INDEX_NAME, INDEX_TYPE_NAME FROM "
                + "INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY 1, 2").stream()
                .map(Object::toString).toList());
        return out;
    }

    static List<List<String>> queryRows(SqlStore store, String sql) {
        Reply reply = store.query(new QueryRequest(sql, List.of(), 0));
        List<List<String>> rows = new ArrayList<>();
        if (reply instanceof QueryResult q) {
            for (List<Value> row : q.data().rows()) {
                rows.add(row.stream().map(v -> String.valueOf(v.value())).toList());
            }
        } else {
            rows.add(List.of("query failed: " + reply));
        }
        return rows;
    }

    static String firstDifferences(List<String> actual, List<String> expected) {
        List<String> onlyActual = new ArrayList<>(actual);
        expected.forEach(onlyActual::remove);
        List<String> onlyExpected = new ArrayList<>(expected);
        actual.forEach(onlyExpected::remove);
        StringBuilder sb = new StringBuilder();
        onlyActual.stream().limit(5).forEach(r -> sb.append("   only here:         ").append(r).append('\n'));
        onlyExpected.stream().limit(5).forEach(r -> sb.append("   only in reference: ").append(r).append('\n'));
        if (onlyActual.isEmpty() && onlyExpected.isEmpty() && !actual.equals(expected)) {
            sb.append("   same rows, different order\n");
        }
        return sb.toString();
    }
}
