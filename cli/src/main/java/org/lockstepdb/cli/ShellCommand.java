package org.lockstepdb.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.lockstepdb.shell.SqlShell;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

@Command(name = "shell", description = "The SQL shell on the JDBC driver; `lockstep shell --help` lists its options.",
        helpCommand = false)
final class ShellCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return SqlShell.run(args.toArray(new String[0]), System.in, System.out, System.err);
    }
}
