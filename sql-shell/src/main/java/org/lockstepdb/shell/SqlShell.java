package org.lockstepdb.shell;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code shell} command: a SQL shell on any JDBC URL ({@code jdbc:lockstep://host:port,...} normally).
 *
 * <ul>
 *   <li>{@code -e SQL}: run the statements (separated by {@code ;}) and exit;</li>
 *   <li>{@code -f FILE}: run the script and exit;</li>
 *   <li>neither, and standard input is a terminal: interactive shell;</li>
 *   <li>neither, and standard input is not a terminal: run standard input as a script.</li>
 * </ul>
 * Scripts stop at the first failed statement unless {@code --continue-on-error}. Exit status: 0 when everything
 * succeeded, 1 when a statement or command failed or the connection could not be made, 2 for bad options.
 */
@Command(name = "lockstep shell", mixinStandardHelpOptions = true, versionProvider = SqlShell.Version.class,
        description = "LockstepDB SQL shell. Runs SQL given with -e, in a file (-f), piped on standard input,"
                + " or interactively.",
        sortOptions = false)
public final class SqlShell implements Callable<Integer> {

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "JDBC URL, e.g. jdbc:lockstep://host1:port,host2:port")
    String url;

    @Option(names = {"-e", "--execute"}, paramLabel = "SQL",
            description = "Run these SQL statements (separated by ';') and exit.")
    String execute;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Run this SQL script and exit.")
    Path file;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "User name for the connection.")
    String user;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD", description = "Password for the connection.")
    String password;

    @Option(names = "--timing", description = "Print the time each statement takes.")
    boolean timing;

    @Option(names = "--continue-on-error",
            description = "In scripts, go on after a failed statement (the exit status is still 1).")
    boolean continueOnError;

    @Spec
    CommandSpec spec;

    private InputStream in = System.in;
    private PrintStream out = System.out;
    private PrintStream err = System.err;
    private Consumer<ShellSession> customizer = s -> { };

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs the shell command line with the given streams and returns the exit status. Interactive mode is used
     * only when {@code in} is {@link System#in} and that is a terminal.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, s -> { });
    }

    /** As {@link #run(String[], InputStream, PrintStream, PrintStream)}; {@code customizer} sees the session
     *  before anything runs (for example to register more dot-commands). */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err,
                          Consumer<ShellSession> customizer) {
        SqlShell shell = new SqlShell();
        shell.in = in;
        shell.out = out;
        shell.err = err;
        shell.customizer = customizer;
        CommandLine cmd = new CommandLine(shell);
        cmd.setOut(new PrintWriter(writer(out), true));
        cmd.setErr(new PrintWriter(writer(err), true));
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(ShellSession.formatError(e));
            commandLine.getErr().flush();
            return 1;
        });
        return cmd.execute(args);
    }

    /** Starts an interactive shell on the system terminal (or runs piped standard input); see
     *  {@link #interactive(String, Properties, Consumer)}. */
    public static int interactive(String url) {
        return interactive(url, new Properties(), s -> { });
    }

    /**
     * Connects to {@code url} with {@code info} (user, password, driver properties) and runs an interactive shell
     * on the system terminal, with history in {@code ~/.lockstep_history}. When standard input is not a terminal
     * it is run as a script instead. {@code customizer} may register more dot-commands. The connection is closed
     * at the end.
     *
     * @return 0 when the shell ended normally; 1 when the connection failed (or, for piped input, a statement
     *         failed)
     */
    public static int interactive(String url, Properties info, Consumer<ShellSession> customizer) {
        PrintWriter errWriter = new PrintWriter(writer(System.err), true);
        try (Connection connection = DriverManager.getConnection(url, info == null ? new Properties() : info)) {
            return interactive(connection, url, customizer);
        } catch (SQLException e) {
            errWriter.println(ShellSession.formatError(e));
            errWriter.flush();
            return 1;
        }
    }

    /**
     * Runs an interactive shell on an open connection (left open) on the system terminal; falls back to running
     * standard input as a script when it is not a terminal.
     *
     * @param label shown in the greeting, usually the URL
     */
    public static int interactive(Connection connection, String label, Consumer<ShellSession> customizer) {
        if (!stdinIsTerminal()) {
            ShellSession session = new ShellSession(connection, new PrintWriter(writer(System.out), true),
                    new PrintWriter(writer(System.err), true));
            customizer.accept(session);
            return runStdin(session, System.in);
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            ShellSession session = new ShellSession(connection, terminal.writer(), terminal.writer());
            customizer.accept(session);
            return new InteractiveShell(session, terminal, InteractiveShell.defaultHistoryFile(),
                    InteractiveShell.defaultBanner(session, label)).run();
        } catch (IOException e) {
            System.err.println("Error: cannot open the terminal: " + e.getMessage());
            return 1;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (execute != null && file != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-e and -f cannot be used together");
        }
        Properties info = new Properties();
        if (user != null) {
            info.setProperty("user", user);
        }
        if (password != null) {
            info.setProperty("password", password);
        }
        PrintWriter outWriter = new PrintWriter(writer(out), true);
        PrintWriter errWriter = new PrintWriter(writer(err), true);
        Connection connection;
        try {
            connection = DriverManager.getConnection(url, info);
        } catch (SQLException e) {
            errWriter.println(ShellSession.formatError(e));
            errWriter.flush();
            return 1;
        }
        try (connection) {
            if (execute == null && file == null && in == System.in && stdinIsTerminal()) {
                try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
                    ShellSession session = new ShellSession(connection, terminal.writer(), terminal.writer());
                    configure(session);
                    return new InteractiveShell(session, terminal, InteractiveShell.defaultHistoryFile(),
                            InteractiveShell.defaultBanner(session, url)).run();
                }
            }
            ShellSession session = new ShellSession(connection, outWriter, errWriter);
            configure(session);
            if (execute != null) {
                session.runScript(new StringReader(execute), null);
            } else if (file != null) {
                session.runFile(file);
            } else {
                return runStdin(session, in);
            }
            return session.errorCount() > 0 ? 1 : 0;
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private void configure(ShellSession session) {
        session.setTiming(timing);
        session.setContinueOnError(continueOnError);
        customizer.accept(session);
    }

    private static int runStdin(ShellSession session, InputStream in) {
        try {
            session.runScript(new InputStreamReader(in, StandardCharsets.UTF_8), "<stdin>");
        } catch (IOException e) {
            session.reportError(new ShellException("cannot read standard input: " + e.getMessage(), e));
        }
        session.out().flush();
        return session.errorCount() > 0 ? 1 : 0;
    }

    /** True when standard input (and output) is an interactive terminal. */
    static boolean stdinIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // Java 22+: System.console() may be non-null when redirected
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    /** A writer that prints through the stream, so the stream's own charset is used. */
    static Writer writer(PrintStream stream) {
        return new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                stream.print(new String(cbuf, off, len));
            }

            @Override
            public void write(String str, int off, int len) {
                stream.print(str.substring(off, off + len));
            }

            @Override
            public void flush() {
                stream.flush();
            }

            @Override
            public void close() {
                stream.flush();
            }
        };
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SqlShell.class.getPackage().getImplementationVersion();
            return new String[] {"LockstepDB shell " + (v != null ? v : "(development build)")};
        }
    }
}
