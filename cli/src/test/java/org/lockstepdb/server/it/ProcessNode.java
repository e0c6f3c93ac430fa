package org.lockstepdb.server.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.lockstepdb.server.raft.PeerAddresses;

/** A replica in its own JVM, started with {@code lockstep server} flags, so a test can SIGKILL it. */
final class ProcessNode implements AutoCloseable {
    private final String id;
    private final Path dataDir;
    private final PeerAddresses peers;
    private final List<String> jvmOptions;
    private final List<String> serverFlags;
    private Process process;

    ProcessNode(String id, Path dataDir, PeerAddresses peers, List<String> jvmOptions) {
        this(id, dataDir, peers, jvmOptions, List.of());
    }

    /** @param serverFlags extra {@code lockstep server} flags, e.g. {@code --close-threshold-ms 3000} */
    ProcessNode(String id, Path dataDir, PeerAddresses peers, List<String> jvmOptions, List<String> serverFlags) {
        this.id = id;
        this.dataDir = dataDir;
        this.peers = peers;
        this.jvmOptions = jvmOptions;
        this.serverFlags = serverFlags;
    }

    ProcessNode start() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.lockstepdb.cli.LockstepCli");
        cmd.addAll(List.of("server", "--id", id, "--data", dataDir.toString(), "--peers", peers.toString()));
        cmd.addAll(serverFlags);
        File log = dataDir.resolveSibling(id + ".out").toFile();
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        return this;
    }

    String id() {
        return id;
    }

    /** host:port of this replica. */
    String address() {
        return peers.addressOf(id);
    }

    Path dataDir() {
        return dataDir;
    }

    /** SIGKILL: no shutdown hook, no H2 close, no Ratis close. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the JVM hangs with its sockets open (no reset, no answer), like a frozen or partitioned host. */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** SIGTERM: the clean shutdown path. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("node " + id + " did not stop on SIGTERM within 60 s");
        }
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}) to the replica's JVM. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** The JVM's exit status once it has ended; fails if it is still running. */
    int exitValue() {
        return process.exitValue();
    }

    /** What the replica printed (stdout and stderr) in all its runs so far. */
    String output() throws IOException {
        return java.nio.file.Files.readString(dataDir.resolveSibling(id + ".out"));
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
