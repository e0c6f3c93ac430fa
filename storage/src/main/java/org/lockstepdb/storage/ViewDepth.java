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
 * same log entry. A view may therefore name views at most {@link #MAX_DEPTH} - 1 deep; checked on the apply
 * session before the CREATE/ALTER VIEW runs, from the replicated schema, so every replica decides alike.
 */
final class ViewDepth {
    /** Views over views over …: at most this many levels. */
    static final int MAX_DEPTH = 32;
    private static final Pattern VIEW_DDL = Pattern.compile("^\\s*(CREATE\\s+(OR\\s+REPLACE\\s+)?VIEW|ALTER\\s+VIEW)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("\"((?:[^\"]|\"\")*)\"|([A-Za-z_][A-Za-z0-9_$]*)");

    private ViewDepth() {
    }

    /**
     * Why the statement would build views deeper than {@link #MAX_DEPTH}, or null. Every name in the text that is
     * the name of an existing view (in any schema) counts as a reference: a deliberate over-estimate that needs no
     * parse.
     *
     * @param code the statement as {@link SqlText#codeKeepingCase} returns it
     */
    static String tooDeep(Connection session, String code) throws SQLException {
        if (!VIEW_DDL.matcher(code).find()) {
            return null;
        }
        Map<String, Set<String>> uses = viewUses(session);
        if (uses.isEmpty()) {
            return null;
        }
        Map<String, Integer> depths = new HashMap<>();
        int deepest = 0;
        for (String view : namesIn(code, uses.keySet())) {
            deepest = Math.max(deepest, depth(view, uses, depths));
        }
        return deepest + 1 > MAX_DEPTH ? "it would build views " + (deepest + 1) + " levels deep; at most " + MAX_DEPTH
                + " levels of views over views are allowed" : null;
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

    /** Levels of views from {@code view} down to base tables (1 = a view over tables only); iterative. */
    private static int depth(String view, Map<String, Set<String>> uses, Map<String, Integer> depths) {
        java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
        stack.push(view);
        while (!stack.isEmpty()) {
            String v = stack.peek();
            if (depths.containsKey(v)) {
                stack.pop();
                continue;
            }
            int below = 0;
            boolean ready = true;
            for (String used : uses.get(v)) {
                if (used.equals(v)) {
                    continue; // a view and a table of the same name in other schemas
                }
                Integer d = depths.get(used);
                if (d == null) {
                    if (stack.contains(used)) {
                        continue; // a cycle (names shared across schemas): count it once
                    }
                    stack.push(used);
                    ready = false;
                } else {
                    below = Math.max(below, d);
                }
            }
            if (ready) {
                depths.put(v, below + 1);
                stack.pop();
            }
        }
        return depths.get(view);
    }
}
