package org.lockstepdb.cli;

import org.lockstepdb.server.JulLogging;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/lockstep}: one launcher for the server, a local cluster, the shell and the benchmark. */
@Command(name = "lockstep", mixinStandardHelpOptions = true, version = "LockstepDB 0.1.0",
        description = "LockstepDB: a replicated SQL database (Apache Ratis + H2).",
        subcommands = {ServerCommand.class, LocalCommand.class, ShellCommand.class, BenchCommand.class, AdminCommand.class,
                CommandLine.HelpCommand.class})
public final class LockstepCli {
    public static void main(String[] args) {
        JulLogging.routeToSlf4j(); // the shaded gRPC in the driver logs through java.util.logging
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return new CommandLine(new LockstepCli()).execute(args);
    }
}
