package org.lockstepdb.storage;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bounds how deeply views may be built on views. H2 expands a view inside the query that reads it, recursively,
 * so a chain of thousands of views overflows any stack when a write reads the last one, on every replica at the
 * same log entry, and views that read each other (which CREATE OR REPLACE VIEW can make) recurse without end.
 * So views may stack at most {@link #MAX_DEPTH} levels and never form a cycle; checked on the apply session
 * before the CREATE VIEW runs, from the replicated schema, so every replica decides alike.
 */
final class ViewDepth {
    /** Views over views over …: at most this many levels. */
    static final int MAX_DEPTH = 32;
    private static final String NAME_PART = "(?:\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z0-9_$]*)";
    /** {@code CREATE [OR REPLACE] VIEW [IF NOT EXISTS] [schema.]name}; ALTER VIEW only recompiles or renames. */
    private static final Pattern VIEW_DDL = Pattern.compile("^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+"
            + "(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:" + NAME_PART + "\\s*\\.\\s*)*(" + NAME_PART + ")",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("\"((?:[^\"]|\"\")*)\"|([A-Za-z_][A-Za-z0-9_$]*)");

    private ViewDepth() {
    }

    /**
     * Why the view statement would make views read themselves (H2 accepts such a cycle from CREATE OR REPLACE, and
     * then recurses without end) or build views over views deeper than {@link #MAX_DEPTH} anywhere (re-pointing a
     * view deepens every view above it), or null. Every name in the text that is the name of a view (in any schema)
     * counts as a reference: a deliberate over-estimate that needs no parse.
     *
     * @param code the statement as {@link SqlText#codeKeepingCase} returns it
     */
    static String tooDeep(Connection session, String code) throws SQLException {
        Matcher head = VIEW_DDL.matcher(code);
        if (!head.find()) {
            return null;
        }
        String defined = nameOf(head.group(1));
        Map<String, Set<String>> uses = viewUses(session);
        Set<String> views = new HashSet<>(uses.keySet());
        views.add(defined);
        uses.put(defined, namesIn(code.substring(head.end()), views)); // the views as they would be
        Map<String, Integer> depths = new HashMap<>();
        int deepest = 0;
        for (String view : uses.keySet()) {
            int d = depth(view, uses, depths);
            if (d < 0) {
                return "it would make views read themselves (" + defined + " through the views it reads)";
            }
            deepest = Math.max(deepest, d);
        }
        return deepest > MAX_DEPTH ? "it would build views " + deepest + " levels deep; at most " + MAX_DEPTH
                + " levels of views over views are allowed" : null;
    }

    private static String nameOf(String token) {
        return token.startsWith("\"") ? token.substring(1, token.length() - 1).replace("\"\"", "\"")
                : token.toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * View name → the names of the views its definition names (H2 keeps definitions with quoted, qualified names;
     * schemas are ignored: an over-estimate).
     */
    private static Map<String, Set<String>> viewUses(Connection session) throws SQLException {
        Map<String, String> definitions = new HashMap<>();
        try (Statement s = session.createStatement();
             ResultSet rs = s.executeQuery("SELECT TABLE_NAME, VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS")) {
            while (rs.next()) {
                definitions.put(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2));
            }
        }
        Map<String, Set<String>> uses = new HashMap<>();
        definitions.forEach((view, definition) -> uses.put(view, namesIn(SqlText.codeKeepingCase(definition),
                definitions.keySet())));
        return uses;
    }

    /** The names in {@code code} (unquoted ones upper-cased, as H2 reads them) that are in {@code among}. */
    private static Set<String> namesIn(String code, Set<String> among) {
        Set<String> found = new HashSet<>();
        Matcher m = NAME.matcher(code);
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1).replace("\"\"", "\"")
                    : m.group(2).toUpperCase(java.util.Locale.ROOT);
            if (among.contains(name)) {
                found.add(name);
            }
        }
        return found;
    }

    /**
     * Levels of views from {@code view} down to base tables (1 = a view over tables only), or -1 if the views it
     * reads lead back to a view on the way (a cycle). Iterative: the chain may be long.
     */
    private static int depth(String view, Map<String, Set<String>> uses, Map<String, Integer> depths) {
        java.util.ArrayDeque<String> path = new java.util.ArrayDeque<>();
        Set<String> onPath = new HashSet<>();
        path.push(view);
        onPath.add(view);
        while (!path.isEmpty()) {
            String v = path.peek();
            if (depths.containsKey(v)) {
                path.pop();
                onPath.remove(v);
                continue;
            }
            int below = 0;
            String next = null;
            for (String used : uses.get(v)) {
                if (used.equals(v)) {
                    continue; // its own name: a table of that name in another schema (H2 refuses a view of itself)
                }
                if (onPath.contains(used)) {
                    return -1;
                }
                Integer d = depths.get(used);
                if (d == null) {
                    next = used;
                    break;
                }
                below = Math.max(below, d);
            }
            if (next != null) {
                path.push(next);
                onPath.add(next);
            } else {
                depths.put(v, below + 1);
                path.pop();
                onPath.remove(v);
            }
        }
        return depths.get(view);
    }
}
