package org.lockstepdb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded driver jar alone (no H2, no Calcite, no server, no build class path) connects to a real
 * cluster, writes and reads: what a user dropping it into a tool's class path gets.
 */
class StandaloneDriverIT {
    @TempDir
    Path dir;

    @Test
    void theSelfContainedDriverJarWorksOnItsOwn() throws Exception {
        Path jar = Path.of("..", "jdbc-driver", "target", "lockstep-jdbc-0.1.0-SNAPSHOT-all.jar").toAbsolutePath().normalize();
        assertThat(jar).as("built by the jdbc-driver module's package phase").exists();
        Path probeClasses = Path.of(StandaloneDriverProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            Path out = dir.resolve("probe.out");
            Path err = dir.resolve("probe.err");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", jar + java.io.File.pathSeparator + probeClasses,
                    StandaloneDriverProbe.class.getName(), cluster.url())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(out);
            String errors = Files.readString(err);
            assertThat(p.exitValue()).as(output + errors).isZero();
            assertThat(output).contains("answer=standalone");
            // loading and using the driver prints nothing: no SLF4J provider warning, no gRPC/Netty JUL lines
            assertThat(errors).as("stderr of a JVM using only the driver jar").isEmpty();
        }
    }
}
