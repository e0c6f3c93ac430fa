package org.lockstepdb.shell;

import java.nio.file.Path;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The built-in dot-commands: .help, .quit/.exit, .tables, .schema, .timing, .read. */
final class BuiltinCommands {

    static final String TABLES_SQL = "SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
            + " WHERE TABLE_SCHEMA NOT IN ('INFORMATION_SCHEMA', 'LOCKSTEP_SYS') ORDER BY TABLE_SCHEMA, TABLE_NAME";

    /** H2's length of VARCHAR / VARBINARY without a declared length; not worth showing. */
    private static final long MAX_H2_LENGTH = 1_000_000_000L;

    private BuiltinCommands() {
    }

    static void registerAll(DotCommands commands) {
        commands.register("help", "", "Show this list of commands", BuiltinCommands::help);
        commands.register("quit", "", "Leave the shell", (s, i) -> CommandStatus.EXIT, "exit");
        commands.register("tables", "", "List the tables", BuiltinCommands::tables);
        commands.register("schema", "TABLE", "Show the columns of a table", BuiltinCommands::schema);
        commands.register("timing", "[on|off]", "Show the time each statement takes", BuiltinCommands::timing);
        commands.register("read", "FILE", "Run the SQL script in FILE", BuiltinCommands::read);
    }

    private static CommandStatus help(ShellSession session, DotCommand.Invocation invocation) {
        List<String[]> rows = new ArrayList<>();
        int width = 0;
        for (DotCommands.Spec spec : session.commands().list()) {
            StringBuilder names = new StringBuilder("." + spec.name());
            for (String alias : spec.aliases()) {
                names.append(", .").append(alias);
            }
            String synopsis = names + (spec.usage().isEmpty() ? "" : " " + spec.usage());
            rows.add(new String[] {synopsis, spec.description()});
            width = Math.max(width, synopsis.length());
        }
        for (String[] row : rows) {
            session.out().println(String.format(Locale.ROOT, "%-" + width + "s  %s", row[0], row[1]));
        }
        session.out().println("SQL statements end with ';' and may span several lines.");
        return CommandStatus.OK;
    }

    private static CommandStatus tables(ShellSession session, DotCommand.Invocation invocation) throws Exception {
        noArguments(invocation);
        try (Statement st = session.connection().createStatement(); ResultSet rs = st.executeQuery(TABLES_SQL)) {
            session.printer().print(rs);
            return CommandStatus.OK;
        } catch (SQLException queryFailed) {
            // no INFORMATION_SCHEMA.TABLES: ask the driver's metadata instead
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = session.connection().getMetaData().getTables(null, null, "%", null)) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    String type = rs.getString("TABLE_TYPE");
                    if ("INFORMATION_SCHEMA".equalsIgnoreCase(schema) || "LOCKSTEP_SYS".equalsIgnoreCase(schema)
                            || (type != null && type.toUpperCase(Locale.ROOT).contains("SYSTEM"))) {
                        continue;
                    }
                    rows.add(List.of(String.valueOf(schema), rs.getString("TABLE_NAME")));
                }
            } catch (SQLException | RuntimeException metadataFailed) {
                queryFailed.addSuppressed(metadataFailed);
                throw queryFailed;
            }
            session.printer().printTable(List.of("TABLE_SCHEMA", "TABLE_NAME"), rows);
            return CommandStatus.OK;
        }
    }

    private static CommandStatus schema(ShellSession session, DotCommand.Invocation invocation) throws Exception {
        if (invocation.argumentText().isEmpty()) {
            throw new ShellException("usage: .schema TABLE");
        }
        List<String[]> parts = identifierParts(invocation.argumentText());
        if (parts.isEmpty() || parts.size() > 2) {
            throw new ShellException("usage: .schema TABLE (or SCHEMA.TABLE), got: " + invocation.argumentText());
        }
        String[] table = parts.get(parts.size() - 1);
        String[] schema = parts.size() == 2 ? parts.get(0) : null;

        String sql = "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH,"
                + " NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE, COLUMN_DEFAULT"
                + " FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME IN (" + literals(table) + ")"
                + (schema != null ? " AND TABLE_SCHEMA IN (" + literals(schema) + ")" : "")
                + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION";
        // (schema, table) -> rows
        Map<String, List<List<String>>> found = new LinkedHashMap<>();
        try (Statement st = session.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String key = rs.getString(1) + "." + rs.getString(2);
                String type = typeText(rs.getString(4), rs.getObject(5), rs.getObject(6), rs.getObject(7));
                found.computeIfAbsent(key, k -> new ArrayList<>()).add(
                        java.util.Arrays.asList(rs.getString(3), type, rs.getString(8), rs.getString(9)));
            }
        } catch (SQLException queryFailed) {
            try {
                found = columnsFromMetadata(session.connection().getMetaData(), schema, table);
            } catch (SQLException | RuntimeException metadataFailed) {
                queryFailed.addSuppressed(metadataFailed);
                throw queryFailed;
            }
        }
        if (found.isEmpty()) {
            throw new ShellException("no such table: " + invocation.argumentText());
        }
        String key = pick(found, schema, table, currentSchema(session));
        session.out().println("Table " + key);
        session.printer().printTable(List.of("COLUMN", "TYPE", "NULLABLE", "DEFAULT"), found.get(key));
        return CommandStatus.OK;
    }

    private static CommandStatus timing(ShellSession session, DotCommand.Invocation invocation) throws ShellException {
        String arg = invocation.argument(0);
        if (arg != null) {
            switch (arg.toLowerCase(Locale.ROOT)) {
                case "on", "true", "1" -> session.setTiming(true);
                case "off", "false", "0" -> session.setTiming(false);
                default -> throw new ShellException("usage: .timing on|off");
            }
        }
        session.out().println("Timing is " + (session.timing() ? "on" : "off"));
        return CommandStatus.OK;
    }

    private static CommandStatus read(ShellSession session, DotCommand.Invocation invocation) throws ShellException {
        if (invocation.arguments().size() != 1) {
            throw new ShellException("usage: .read FILE");
        }
        return session.runFile(Path.of(invocation.arguments().get(0)));
    }

    private static void noArguments(DotCommand.Invocation invocation) throws ShellException {
        if (!invocation.arguments().isEmpty()) {
            throw new ShellException("." + invocation.name() + " takes no arguments");
        }
    }

    /**
     * Splits {@code a.b} / {@code "A b"."c"} into parts; each part holds the spellings to try: exactly the quoted
     * text, or for an unquoted name the text as typed and in upper case.
     */
    static List<String[]> identifierParts(String text) throws ShellException {
        List<String[]> parts = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (text.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new ShellException("unterminated quoted name: " + text);
                    }
                    char c = text.charAt(i++);
                    if (c == '"') {
                        if (i < n && text.charAt(i) == '"') {
                            sb.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        sb.append(c);
                    }
                }
                parts.add(new String[] {sb.toString()});
            } else {
                int start = i;
                while (i < n && text.charAt(i) != '.') {
                    i++;
                }
                String name = text.substring(start, i).strip();
                if (name.isEmpty()) {
                    throw new ShellException("bad table name: " + text);
                }
                String upper = name.toUpperCase(Locale.ROOT);
                parts.add(upper.equals(name) ? new String[] {name} : new String[] {name, upper});
            }
            if (i < n) {
                if (text.charAt(i) != '.') {
                    throw new ShellException("bad table name: " + text);
                }
                i++;
                if (i >= n) {
                    throw new ShellException("bad table name: " + text);
                }
            }
        }
        return parts;
    }

    private static String literals(String[] names) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append('\'').append(name.replace("'", "''")).append('\'');
        }
        return sb.toString();
    }

    /** H2 2.x style: {@code CHARACTER VARYING(20)}, {@code NUMERIC(10, 2)}, {@code INTEGER}. */
    static String typeText(String dataType, Object charLength, Object precision, Object scale) {
        if (dataType == null) {
            return null;
        }
        String upper = dataType.toUpperCase(Locale.ROOT);
        if (charLength instanceof Number n && n.longValue() < MAX_H2_LENGTH && !upper.contains("LARGE OBJECT")
                && !upper.endsWith("LOB") && (upper.contains("CHAR") || upper.contains("BINARY"))) {
            return dataType + "(" + charLength + ")";
        }
        if (precision != null && (upper.equals("NUMERIC") || upper.equals("DECIMAL"))) {
            return dataType + "(" + precision + (scale != null ? ", " + scale : "") + ")";
        }
        return dataType;
    }

    private static Map<String, List<List<String>>> columnsFromMetadata(DatabaseMetaData md, String[] schema,
                                                                       String[] table) throws SQLException {
        Map<String, List<List<String>>> found = new LinkedHashMap<>();
        for (String t : table) {
            for (String s : schema == null ? new String[] {null} : schema) {
                try (ResultSet rs = md.getColumns(null, s, t, "%")) {
                    while (rs.next()) {
                        String key = rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME");
                        if (found.containsKey(key) && !t.equals(table[0])) {
                            continue;
                        }
                        String type = rs.getString("TYPE_NAME");
                        found.computeIfAbsent(key, k -> new ArrayList<>()).add(java.util.Arrays.asList(
                                rs.getString("COLUMN_NAME"), type, rs.getString("IS_NULLABLE"),
                                rs.getString("COLUMN_DEF")));
                    }
                }
            }
        }
        return found;
    }

    /** Prefers the exact spelling typed, then the connection's current schema, then the first found. */
    private static String pick(Map<String, List<List<String>>> found, String[] schema, String[] table,
                               String currentSchema) {
        List<String> keys = new ArrayList<>(found.keySet());
        keys.sort((a, b) -> Integer.compare(rank(b, schema, table, currentSchema),
                rank(a, schema, table, currentSchema)));
        return keys.get(0);
    }

    private static int rank(String key, String[] schema, String[] table, String currentSchema) {
        int dot = key.indexOf('.');
        String s = key.substring(0, dot);
        String t = key.substring(dot + 1);
        int rank = 0;
        if (t.equals(table[0])) {
            rank += 4;
        }
        if (schema != null && s.equals(schema[0])) {
            rank += 2;
        }
        if (schema == null && s.equals(currentSchema)) {
            rank += 1;
        }
        return rank;
    }

    private static String currentSchema(ShellSession session) {
        try {
            return session.connection().getSchema();
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            return "PUBLIC";
        }
    }
}
