package org.lockstepdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/OPERATIONS.md: bad flags and bad flag values end `lockstep server` with status 2 before anything starts. */
class ServerCommandTest {
    @TempDir
    Path dir;

    @Test
    void badFlagValuesExitWithStatusTwo() {
        String data = dir.resolve("n1").toString();
        assertThat(LockstepCli.execute("server", "--id", "n9", "--data", data, "--peers", "n1=127.0.0.1:1")).isEqualTo(2);
        assertThat(LockstepCli.execute("server", "--id", "n1", "--data", data, "--peers", "n1=127.0.0.1:1",
                "--query-threads", "0")).isEqualTo(2);
        assertThat(LockstepCli.execute("server", "--id", "n1", "--data", data, "--peers", "n1=127.0.0.1:1",
                "--tx-replay-budget-ms", "-1")).isEqualTo(2);
        assertThat(LockstepCli.execute("server", "--id", "n1", "--data", data, "--peers", "n1=127.0.0.1:1",
                "--no-such-flag")).isEqualTo(2);
    }
}
