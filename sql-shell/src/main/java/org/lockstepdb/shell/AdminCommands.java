package org.lockstepdb.shell;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;

/**
 * Dot-commands that administer a LockstepDB cluster: .status, .verify, .snapshot, .backup, .restore. They need a
 * {@code jdbc:lockstep:} connection.
 */
public final class AdminCommands {
    private AdminCommands() {
    }

    static void registerAll(DotCommands commands) {
        commands.register("status", "", "Show every replica's role, term, leader and log positions",
                AdminCommands::status);
        commands.register("verify", "", "Compare every replica's checksum of all user data at one log index",
                AdminCommands::verify);
        commands.register("snapshot", "[NODE]", "Take a snapshot now on the leader (or NODE); prints its log index",
                AdminCommands::snapshot);
        commands.register("backup", "FILE", "Write a consistent online backup of the whole database to FILE",
                AdminCommands::backup);
        commands.register("restore", "FILE", "Replace the database on every replica with the backup in FILE",
                AdminCommands::restore);
    }

    private static CommandStatus snapshot(ShellSession session, DotCommand.Invocation invocation) throws ShellException {
        try {
            session.out().println("snapshot at log index " + admin(session.connection()).snapshot(invocation.argument(0)));
            return CommandStatus.OK;
        } catch (SQLException e) {
            throw new ShellException("snapshot failed: " + e.getMessage());
        }
    }

    private static CommandStatus backup(ShellSession session, DotCommand.Invocation invocation) throws ShellException {
        Path file = fileArgument(invocation, ".backup FILE");
        try {
            LockstepAdmin.BackupInfo info = admin(session.connection()).backup(file, null);
            session.out().printf("backup of log index %d from %s: %s (%d bytes)%n", info.index(), info.replica(),
                    file, info.sizeBytes());
            return CommandStatus.OK;
        } catch (SQLException e) {
            throw new ShellException("backup failed: " + e.getMessage());
        }
    }

    private static CommandStatus restore(ShellSession session, DotCommand.Invocation invocation) throws ShellException {
        Path file = fileArgument(invocation, ".restore FILE");
        try {
            long index = admin(session.connection()).restore(file);
            session.out().println("restored " + file + " at log index " + index);
            return CommandStatus.OK;
        } catch (SQLException e) {
            throw new ShellException("restore failed: " + e.getMessage());
        }
    }

    private static Path fileArgument(DotCommand.Invocation invocation, String usage) throws ShellException {
        if (invocation.arguments().size() != 1) {
            throw new ShellException("usage: " + usage);
        }
        return Path.of(invocation.arguments().get(0));
    }

    private static CommandStatus verify(ShellSession session, DotCommand.Invocation invocation) throws ShellException {
        try {
            LockstepAdmin.VerifyReport report = admin(session.connection()).verify();
            printVerify(report, session.out());
            if (!report.consistent()) {
                throw new ShellException("replicas differ or did not answer at log index " + report.index());
            }
            return CommandStatus.OK;
        } catch (SQLException e) {
            throw new ShellException("verify failed: " + e.getMessage());
        }
    }

    private static CommandStatus status(ShellSession session, DotCommand.Invocation invocation) throws ShellException {
        try {
            printStatus(admin(session.connection()).status(), session.out());
            return CommandStatus.OK;
        } catch (SQLException e) {
            throw new ShellException("status failed: " + e.getMessage());
        }
    }

    /** A table of the replicas' state. Shared with {@code lockstep admin status}. */
    public static void printStatus(java.util.List<LockstepAdmin.ReplicaStatus> replicas, PrintWriter out) {
        out.printf("%-8s %-22s %-10s %6s %-8s %10s %10s %10s%n", "REPLICA", "ADDRESS", "ROLE", "TERM", "LEADER",
                "APPLIED", "SQL INDEX", "SNAPSHOT");
        for (LockstepAdmin.ReplicaStatus r : replicas) {
            if (!r.answered()) {
                out.printf("%-8s %-22s NO ANSWER: %s%n", r.replica(), r.address(), r.error());
                continue;
            }
            var v = r.values();
            out.printf("%-8s %-22s %-10s %6s %-8s %10s %10s %10s%n", r.replica(), r.address(), v.get("role"),
                    v.get("term"), v.get("leader"), v.get("applied"), v.get("storeIndex"), v.get("snapshot"));
        }
        out.flush();
    }

    /** One line per replica, then the verdict. Shared with {@code lockstep admin verify}. */
    public static void printVerify(LockstepAdmin.VerifyReport report, PrintWriter out) {
        out.println("log index " + report.index());
        for (LockstepAdmin.ReplicaChecksum r : report.replicas()) {
            out.printf("  %-8s %-22s %s%n", r.replica(), r.address(), r.answered() ? r.checksum() : "NO ANSWER: " + r.error());
        }
        boolean allAnswered = report.replicas().stream().allMatch(LockstepAdmin.ReplicaChecksum::answered);
        long distinct = report.replicas().stream().filter(LockstepAdmin.ReplicaChecksum::answered)
                .map(LockstepAdmin.ReplicaChecksum::checksum).distinct().count();
        out.println(report.consistent() ? "replicas are identical"
                : distinct > 1 ? "REPLICAS DIFFER"
                : "NOT VERIFIED: " + (allAnswered ? "no checksum" : "a replica did not answer")
                + (distinct == 1 ? "; the replicas that answered are identical" : ""));
        out.flush();
    }

    static LockstepAdmin admin(Connection connection) throws SQLException, ShellException {
        if (!connection.isWrapperFor(LockstepConnection.class)) {
            throw new ShellException("admin commands need a jdbc:lockstep: connection");
        }
        return connection.unwrap(LockstepConnection.class).admin();
    }
}
