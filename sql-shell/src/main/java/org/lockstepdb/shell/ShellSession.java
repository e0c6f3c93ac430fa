package org.lockstepdb.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.lockstepdb.protocol.sql.Classification;
import org.lockstepdb.protocol.sql.SqlKind;
import org.lockstepdb.protocol.sql.StatementClassifier;

/**
 * The state of one shell on one JDBC connection: runs SQL statements, dot-commands and scripts, prints results
 * to {@link #out()} and errors ({@code Error: <message> (SQLState <state>, code <vendor>)}) to {@link #err()}.
 * Uses only {@code java.sql} interfaces, so it works with any driver. The connection is not closed by the session.
 */
public final class ShellSession {

    /** Nesting limit for {@code .read} inside scripts. */
    static final int MAX_SCRIPT_DEPTH = 16;

    /** Leading words of statements that report a row count besides DML and queries; others with 0 print {@code OK}. */
    private static final Set<String> ROW_COUNTING_WORDS = Set.of("UPSERT", "CALL");

    private final Connection connection;
    private final PrintWriter out;
    private final PrintWriter err;
    private final DotCommands commands;
    private final ResultPrinter printer;
    private volatile boolean timing;
    private volatile boolean continueOnError;
    private volatile Statement running;
    private int errorCount;
    private int scriptDepth;

    public ShellSession(Connection connection, PrintWriter out, PrintWriter err) {
        this(connection, out, err, DotCommands.withBuiltins());
    }

    public ShellSession(Connection connection, PrintWriter out, PrintWriter err, DotCommands commands) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.printer = new ResultPrinter(out);
    }

    public Connection connection() {
        return connection;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** The dot-command registry; register more commands here. */
    public DotCommands commands() {
        return commands;
    }

    public ResultPrinter printer() {
        return printer;
    }

    public boolean timing() {
        return timing;
    }

    public void setTiming(boolean timing) {
        this.timing = timing;
    }

    public boolean continueOnError() {
        return continueOnError;
    }

    /** When set, scripts go on after a failed statement (the failure still counts). */
    public void setContinueOnError(boolean continueOnError) {
        this.continueOnError = continueOnError;
    }

    /** How many errors have been reported so far. */
    public synchronized int errorCount() {
        return errorCount;
    }

    /**
     * Executes one SQL statement and prints its result: a table and {@code (N rows)} for a query,
     * {@code Updated N rows} for DML, {@code OK} for DDL and other statements without a row count.
     *
     * @return {@link CommandStatus#OK} or {@link CommandStatus#FAILED} (the error has been printed)
     */
    public CommandStatus executeSql(String sql) {
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            running = statement;
            try {
                if (statement.execute(sql)) {
                    try (ResultSet rs = statement.getResultSet()) {
                        printer.print(rs);
                    }
                } else {
                    int count = statement.getUpdateCount();
                    if (count > 0 || (count == 0 && isRowCounting(sql))) {
                        out.println("Updated " + count + (count == 1 ? " row" : " rows"));
                    } else {
                        out.println("OK");
                    }
                }
            } finally {
                running = null;
            }
            printTiming(start);
            return CommandStatus.OK;
        } catch (SQLException | RuntimeException e) {
            reportError(e);
            return CommandStatus.FAILED;
        } finally {
            out.flush();
        }
    }

    /** Runs a dot-command line such as {@code .schema t}. */
    public CommandStatus runDotCommand(String line) {
        DotCommand.Invocation invocation = DotCommand.Invocation.parse(line);
        if (invocation.name().isEmpty()) {
            reportError(new ShellException("missing command name after '.'; type .help for the list of commands"));
            return CommandStatus.FAILED;
        }
        var spec = commands.lookup(invocation.name());
        if (spec.isEmpty()) {
            reportError(new ShellException("unknown command: ." + invocation.name()
                    + " (type .help for the list of commands)"));
            return CommandStatus.FAILED;
        }
        try {
            CommandStatus status = spec.get().handler().execute(this, invocation);
            return status == null ? CommandStatus.OK : status;
        } catch (Exception e) {
            reportError(e);
            return CommandStatus.FAILED;
        } finally {
            out.flush();
        }
    }

    /**
     * Runs a script: SQL statements separated by {@code ;} (a last one may lack it) and dot-commands on lines of
     * their own between statements. Stops at the first failure unless {@link #continueOnError()} is set, and at
     * {@code .quit}.
     *
     * @param sourceName shown with errors as {@code at NAME:LINE}; null for none
     * @return {@link CommandStatus#EXIT} after {@code .quit}, {@link CommandStatus#FAILED} if anything in it failed,
     *         else {@link CommandStatus#OK}
     */
    public CommandStatus runScript(Reader reader, String sourceName) throws IOException {
        if (scriptDepth >= MAX_SCRIPT_DEPTH) {
            reportError(new ShellException("scripts nested too deeply (more than " + MAX_SCRIPT_DEPTH + ")"));
            return CommandStatus.FAILED;
        }
        scriptDepth++;
        try {
            BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
            StatementSplitter splitter = new StatementSplitter();
            boolean failed = false;
            int lineNo = 0;
            int statementLine = 1;
            String line;
            while ((line = lines.readLine()) != null) {
                lineNo++;
                boolean boundary = splitter.atStatementBoundary();
                if (boundary && line.strip().startsWith(".")) {
                    CommandStatus o = runDotCommand(line);
                    if (o == CommandStatus.FAILED) {
                        location(sourceName, lineNo);
                        failed = true;
                        if (!continueOnError) {
                            return CommandStatus.FAILED;
                        }
                    } else if (o == CommandStatus.EXIT) {
                        return CommandStatus.EXIT;
                    }
                    continue;
                }
                if (boundary) {
                    statementLine = lineNo;
                }
                splitter.append(line).append("\n");
                for (String sql : splitter.drainComplete()) {
                    if (executeSql(sql) == CommandStatus.FAILED) {
                        location(sourceName, statementLine);
                        failed = true;
                        if (!continueOnError) {
                            return CommandStatus.FAILED;
                        }
                    }
                    statementLine = lineNo;
                }
            }
            String tail = splitter.finish();
            if (tail != null && executeSql(tail) == CommandStatus.FAILED) {
                location(sourceName, statementLine);
                failed = true;
            }
            return failed ? CommandStatus.FAILED : CommandStatus.OK;
        } finally {
            scriptDepth--;
        }
    }

    /** Runs a script file (UTF-8); see {@link #runScript(Reader, String)}. */
    public CommandStatus runFile(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return runScript(reader, file.toString());
        } catch (NoSuchFileException e) {
            reportError(new ShellException("no such file: " + file));
            return CommandStatus.FAILED;
        } catch (IOException e) {
            reportError(new ShellException("cannot read " + file + ": " + e.getMessage(), e));
            return CommandStatus.FAILED;
        }
    }

    /** Cancels the statement now executing, if any (for Ctrl-C); safe to call from another thread. */
    public void cancelRunning() {
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            } catch (SQLException | RuntimeException ignored) {
                // the driver cannot cancel; the statement runs to its end
            }
        }
    }

    /** Prints {@code Error: ...} for the exception to {@link #err()} and counts it. */
    public void reportError(Throwable e) {
        synchronized (this) {
            errorCount++;
        }
        out.flush();
        err.println(formatError(e));
        err.flush();
    }

    /** {@code Error: <message> (SQLState <state>, code <vendor>)} for SQL errors, {@code Error: <message>} else. */
    public static String formatError(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getName();
        }
        if (e instanceof SQLException sql) {
            String state = sql.getSQLState();
            return "Error: " + message + " (" + (state != null ? "SQLState " + state + ", " : "")
                    + "code " + sql.getErrorCode() + ")";
        }
        return "Error: " + message;
    }

    private void location(String sourceName, int line) {
        if (sourceName != null) {
            err.println("  at " + sourceName + ":" + line);
            err.flush();
        }
    }

    private void printTiming(long startNanos) {
        if (timing) {
            double ms = (System.nanoTime() - startNanos) / 1_000_000.0;
            out.println(String.format(Locale.ROOT, "Time: %.3f ms", ms));
        }
    }

    /**
     * True when the statement changes rows (so a count of 0 prints {@code Updated 0 rows}): DML or a query as the
     * one classifier reads it (comments skipped as H2 does), or H2's UPSERT and CALL.
     */
    static boolean isRowCounting(String sql) {
        Classification c = StatementClassifier.classify(sql);
        return c.coarse() == SqlKind.DML || c.coarse() == SqlKind.QUERY || ROW_COUNTING_WORDS.contains(c.firstWord());
    }
}
