package org.lockstepdb.server.cli;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.Callable;

import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.shell.AdminCommands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep admin --url URL <operation>}: cluster administration. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Administer a running cluster.",
        subcommands = {AdminCommand.Verify.class})
final class AdminCommand {
    @Option(names = "--url", required = true, description = "JDBC URL of the cluster: jdbc:lockstep://host:port,...")
    String url;

    LockstepAdmin connect(Connection c) throws SQLException {
        return c.unwrap(LockstepConnection.class).admin();
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Every replica computes a checksum of all user schemas (definitions and rows) at the same",
                    "log index; prints each and exits 1 if they differ or a replica does not answer."})
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AdminCommand parent;

        @Override
        public Integer call() throws SQLException {
            try (Connection c = DriverManager.getConnection(parent.url)) {
                LockstepAdmin.VerifyReport report = parent.connect(c).verify();
                AdminCommands.printVerify(report, new PrintWriter(System.out, true));
                return report.consistent() ? 0 : 1;
            }
        }
    }
}
