package org.lockstepdb.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.lockstepdb.server.LocalCluster;
import org.lockstepdb.shell.SqlShell;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Start a local cluster on loopback (all replicas in this JVM, each with its own data "
                + "directory and gRPC port), print its JDBC URL and attach the SQL shell. Leaving the shell "
                + "stops the cluster; starting again with the same --data resumes it.")
final class LocalCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "lockstep-data/local",
            description = "Data directory for all replicas (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of replicas (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--base-port", defaultValue = "9401",
            description = "First gRPC port; replica i uses base+i-1, or a free port if that one is taken (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = {"-e", "--execute"}, description = "Run this SQL in the shell and exit instead of going interactive.")
    String execute;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 9) {
            System.err.println("--nodes must be between 1 and 9");
            return 2;
        }
        java.nio.file.Files.createDirectories(data);
        LogFiles.onlyLogTo(data.resolve("lockstep.log"));
        try (LocalCluster cluster = LocalCluster.start(data, nodes, basePort)) {
            System.out.println("LockstepDB local cluster of " + nodes + (nodes == 1 ? " replica" : " replicas") + ", data in " + data.toAbsolutePath()
                    + " (log: " + data.resolve("lockstep.log") + ")");
            System.out.println("JDBC URL: " + cluster.jdbcUrl());
            String[] shellArgs = execute == null
                    ? new String[] {"--url", cluster.jdbcUrl()}
                    : new String[] {"--url", cluster.jdbcUrl(), "-e", execute};
            return SqlShell.run(shellArgs, System.in, System.out, System.err);
        }
    }
}
