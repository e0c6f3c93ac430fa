package org.lockstepdb.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.Callable;

import org.lockstepdb.jdbc.LockstepAdmin;
import org.lockstepdb.jdbc.LockstepConnection;
import org.lockstepdb.shell.AdminCommands;
import org.lockstepdb.storage.InvalidSnapshotException;
import org.lockstepdb.storage.SnapshotFile;
import org.lockstepdb.storage.SnapshotHeader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code lockstep admin --url URL <operation>}: cluster administration. Exit status 1 on failure. */
@Command(name = "admin", mixinStandardHelpOptions = true, description = "Administer a running cluster.",
        subcommands = {AdminCommand.Status.class, AdminCommand.AddNode.class, AdminCommand.RemoveNode.class,
                AdminCommand.TransferLeader.class, AdminCommand.Verify.class, AdminCommand.Snapshot.class, AdminCommand.Backup.class,
                AdminCommand.Restore.class})
final class AdminCommand {
    @Option(names = "--url", required = true, description = "JDBC URL of the cluster: jdbc:lockstep://host:port,...")
    String url;

    /** Runs an operation with the cluster's admin API; SQL errors become a message and exit status 1. */
    int withAdmin(AdminAction action) {
        try (Connection c = DriverManager.getConnection(url)) {
            return action.run(c.unwrap(LockstepConnection.class).admin());
        } catch (SQLException e) {
            System.err.println("lockstep admin: " + e.getMessage() + " (SQLState " + e.getSQLState() + ")");
            return 1;
        }
    }

    interface AdminAction {
        int run(LockstepAdmin admin) throws SQLException;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print every replica's role, term, leader, applied index, SQL index and latest snapshot.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        AdminCommand parent;

        @Override
        public Integer call() {
            return parent.withAdmin(admin -> {
                java.util.List<LockstepAdmin.ReplicaStatus> replicas = admin.status();
                AdminCommands.printStatus(replicas, new PrintWriter(System.out, true));
                return replicas.stream().allMatch(LockstepAdmin.ReplicaStatus::answered) ? 0 : 1;
            });
        }
    }

    @Command(name = "add-node", mixinStandardHelpOptions = true,
            description = "Add a replica that was started with `lockstep server --join`. It catches up (snapshot, "
                + "then log) before it becomes a voting member. Add one replica at a time.")
    static final class AddNode implements Callable<Integer> {
        @ParentCommand
        AdminCommand parent;

        @Option(names = "--id", required = true, description = "The new replica's id (its --id).")
        String id;

        @Option(names = "--address", required = true, paramLabel = "HOST:PORT", description = "The new replica's address.")
        String address;

        @Override
        public Integer call() {
            return parent.withAdmin(admin -> {
                admin.addReplica(id, address);
                System.out.println("added " + id + " at " + address);
                return 0;
            });
        }
    }

    @Command(name = "remove-node", mixinStandardHelpOptions = true,
            description = "Remove a replica from the cluster (then stop its process and, if wanted, delete its data).")
    static final class RemoveNode implements Callable<Integer> {
        @ParentCommand
        AdminCommand parent;

        @Option(names = "--id", required = true, description = "The replica to remove.")
        String id;

        @Override
        public Integer call() {
            return parent.withAdmin(admin -> {
                admin.removeReplica(id);
                System.out.println("removed " + id);
                return 0;
            });
        }
    }

    @Command(name = "transfer-leader", mixinStandardHelpOptions = true,
            description = "Move leadership to the given replica (e.g. before maintenance on the current leader).")
    static final class TransferLeader implements Callable<Integer> {
        @ParentCommand
        AdminCommand parent;

        @Option(names = "--to", required = true, description = "The replica that should lead.")
        String to;

        @Override
        public Integer call() {
            return parent.withAdmin(admin -> {
                admin.transferLeadership(to);
                System.out.println("leader is now " + to);
                return 0;
            });
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Every replica computes a checksum of all user schemas (definitions and rows) at the same "
                + "log index; prints each and exits 1 if they differ or a replica does not answer.")
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AdminCommand parent;

        @Override
        public Integer call() {
            return parent.withAdmin(admin -> {
                LockstepAdmin.VerifyReport report = admin.verify();
                AdminCommands.printVerify(report, new PrintWriter(System.out, true));
                return report.consistent() ? 0 : 1;
            });
        }
    }

    @Command(name = "snapshot", mixinStandardHelpOptions = true,
            description = "Take a snapshot now (on the leader, or --node) and print the log index it holds.")
    static final class Snapshot implements Callable<Integer> {
        @ParentCommand
        AdminCommand parent;

        @Option(names = "--node", description = "Replica id to snapshot (default: the leader).")
        String node;

        @Override
        public Integer call() {
            return parent.withAdmin(admin -> {
                System.out.println("snapshot at log index " + admin.snapshot(node));
                return 0;
            });
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write a consistent online backup of the whole database (as of one log index, printed) "
                + "to FILE. Taken from a follower (or --node) in 1 MiB chunks; writes continue meanwhile.")
    static final class Backup implements Callable<Integer> {
        @ParentCommand
        AdminCommand parent;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Backup file to write.")
        Path out;

        @Option(names = "--node", description = "Replica id to take the backup from (default: a follower).")
        String node;

        @Override
        public Integer call() {
            return parent.withAdmin(admin -> {
                LockstepAdmin.BackupInfo info = admin.backup(out, node);
                System.out.printf("backup of log index %d from %s: %s (%d bytes, sha256 %s)%n", info.index(),
                        info.replica(), out, info.sizeBytes(), info.sha256());
                return 0;
            });
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Replace the database on every replica with a backup's contents, through the log: all "
                + "replicas switch at one log index. A truncated, corrupt or foreign file is refused first.")
    static final class Restore implements Callable<Integer> {
        @ParentCommand
        AdminCommand parent;

        @Option(names = "--in", paramLabel = "FILE", description = "Backup file to restore.")
        Path in;

        @Option(names = "--abort-staged", description = "Instead of restoring: abandon every restore being staged "
                + "(left by a restore that was interrupted; it blocks snapshots). Changes no data.")
        boolean abortStaged;

        @Override
        public Integer call() {
            if (abortStaged) {
                return parent.withAdmin(admin -> {
                    System.out.println("staged restores aborted at log index " + admin.abortStagedRestores());
                    return 0;
                });
            }
            if (in == null) {
                System.err.println("lockstep admin restore: give --in FILE (or --abort-staged)");
                return 2;
            }
            SnapshotHeader header;
            try {
                header = SnapshotFile.verify(in);
            } catch (InvalidSnapshotException | java.io.IOException e) {
                System.err.println("lockstep admin restore: refusing " + in + ": " + e.getMessage());
                return 1;
            }
            return parent.withAdmin(admin -> {
                long index = admin.restore(in);
                System.out.printf("restored %s (backup of log index %d) at log index %d%n", in, header.index(), index);
                return 0;
            });
        }
    }
}
