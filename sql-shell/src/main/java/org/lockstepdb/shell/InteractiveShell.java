package org.lockstepdb.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.List;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;

/**
 * The interactive read-eval-print loop on a JLine terminal. Prompt {@code lockstep> }; SQL may span several
 * lines (continuation prompt {@code    ...> }) and runs once a line ends the statement with {@code ;}; lines
 * starting with {@code .} are dot-commands and run at once. Ctrl-C drops the line being edited (or cancels the
 * running statement), Ctrl-D, {@code .quit} or {@code .exit} leave.
 */
public final class InteractiveShell {

    public static final String PROMPT = "lockstep> ";
    public static final String CONTINUATION_PROMPT = "   ...> ";
    public static final String HISTORY_FILE_NAME = ".lockstep_history";

    private static final List<String> KEYWORDS = List.of("SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER",
            "HAVING", "LIMIT", "OFFSET", "JOIN", "LEFT", "RIGHT", "INNER", "OUTER", "ON", "AS", "AND", "OR", "NOT",
            "NULL", "IS", "IN", "BETWEEN", "LIKE", "DISTINCT", "INSERT", "INTO", "VALUES", "UPDATE", "SET",
            "DELETE", "MERGE", "CREATE", "TABLE", "INDEX", "VIEW", "SEQUENCE", "SCHEMA", "DROP", "ALTER", "ADD",
            "COLUMN", "PRIMARY", "KEY", "FOREIGN", "REFERENCES", "UNIQUE", "DEFAULT", "CONSTRAINT", "IF", "EXISTS",
            "TRUNCATE", "BEGIN", "COMMIT", "ROLLBACK", "INTEGER", "INT", "BIGINT", "VARCHAR", "BOOLEAN", "DECIMAL",
            "DOUBLE", "TIMESTAMP", "DATE", "COUNT", "SUM", "MIN", "MAX", "AVG", "CASE", "WHEN", "THEN", "ELSE",
            "END", "UNION", "ALL", "EXPLAIN");

    private final ShellSession session;
    private final Terminal terminal;
    private final Path historyFile;
    private final String banner;

    /**
     * @param session     the session to run input in; its {@code out}/{@code err} should write to the terminal
     * @param historyFile where to keep the history; null keeps it in memory only
     * @param banner      printed before the first prompt; null for none
     */
    public InteractiveShell(ShellSession session, Terminal terminal, Path historyFile, String banner) {
        this.session = session;
        this.terminal = terminal;
        this.historyFile = historyFile;
        this.banner = banner;
    }

    /** {@code ~/.lockstep_history}. */
    public static Path defaultHistoryFile() {
        return Path.of(System.getProperty("user.home"), HISTORY_FILE_NAME);
    }

    /** A one-line greeting naming the database, if the driver tells. */
    public static String defaultBanner(ShellSession session, String url) {
        String product = "";
        try {
            DatabaseMetaData md = session.connection().getMetaData();
            // the database answers as the H2 it embeds (so tools pick their H2 support); name LockstepDB too
            product = " (" + md.getDriverName() + " " + md.getDriverVersion() + ", SQL of "
                    + md.getDatabaseProductName() + " " + md.getDatabaseProductVersion() + ")";
        } catch (Exception | AbstractMethodError ignored) {
            // metadata is optional
        }
        return "Connected to " + url + product + ". Type .help for help, .quit to exit.";
    }

    public ShellSession session() {
        return session;
    }

    /** Runs until Ctrl-D or {@code .quit}; returns 0. */
    public int run() {
        List<String> completions = new ArrayList<>(session.commands().names());
        completions.addAll(KEYWORDS);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("lockstep")
                .parser(new SqlLineParser())
                .completer(new StringsCompleter(completions))
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION_PROMPT)
                .variable(LineReader.INDENTATION, 0)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is SQL, not history
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .option(LineReader.Option.INSERT_TAB, false);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> session.cancelRunning());
        try {
            if (banner != null) {
                session.out().println(banner);
                session.out().flush();
            }
            while (true) {
                String input;
                try {
                    input = reader.readLine(PROMPT);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C: drop the line being edited
                } catch (EndOfFileException e) {
                    break; // Ctrl-D
                }
                if (evaluate(input) == CommandStatus.EXIT) {
                    break;
                }
            }
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            try {
                reader.getHistory().save();
            } catch (IOException | RuntimeException ignored) {
                // history is a convenience
            }
            session.out().flush();
        }
        return 0;
    }

    /** Runs one accepted input buffer: a dot-command or one or more SQL statements. */
    CommandStatus evaluate(String input) {
        String trimmed = input.strip();
        if (trimmed.isEmpty()) {
            return CommandStatus.OK;
        }
        if (trimmed.startsWith(".")) {
            return session.runDotCommand(trimmed);
        }
        StatementSplitter splitter = new StatementSplitter().append(input);
        List<String> statements = splitter.drainComplete();
        String tail = splitter.finish();
        if (tail != null) {
            statements.add(tail);
        }
        for (String sql : statements) {
            if (session.executeSql(sql) == CommandStatus.FAILED) {
                return CommandStatus.FAILED; // skip the rest of this input
            }
        }
        return CommandStatus.OK;
    }
}
