package org.lockstepdb.shell;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;

import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;

/** Dot-commands that administer a LockstepDB cluster: .verify. They need a {@code jdbc:lockstep:} connection. */
public final class AdminCommands {
    private AdminCommands() {
    }

    static void registerAll(DotCommands commands) {
        commands.register("verify", "", "Compare every replica's checksum of all user data at one log index",
                AdminCommands::verify);
    }

    private static Outcome verify(ShellSession session, DotCommand.Invocation invocation) throws ShellException {
        try {
            LockstepAdmin.VerifyReport report = admin(session.connection()).verify();
            printVerify(report, session.out());
            if (!report.consistent()) {
                throw new ShellException("replicas differ or did not answer at log index " + report.index());
            }
            return Outcome.OK;
        } catch (SQLException e) {
            throw new ShellException("verify failed: " + e.getMessage());
        }
    }

    /** One line per replica, then the verdict. Shared with {@code lockstep admin verify}. */
    public static void printVerify(LockstepAdmin.VerifyReport report, PrintWriter out) {
        out.println("log index " + report.index());
        for (LockstepAdmin.ReplicaChecksum r : report.replicas()) {
            out.printf("  %-8s %-22s %s%n", r.replica(), r.address(), r.answered() ? r.checksum() : "NO ANSWER: " + r.error());
        }
        out.println(report.consistent() ? "replicas are identical" : "REPLICAS DIFFER");
        out.flush();
    }

    static LockstepAdmin admin(Connection connection) throws SQLException, ShellException {
        if (!connection.isWrapperFor(LockstepConnection.class)) {
            throw new ShellException("admin commands need a jdbc:lockstep: connection");
        }
        return connection.unwrap(LockstepConnection.class).admin();
    }
}
