package org.lockstepdb.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.lockstepdb.bench.BenchOptions;
import org.lockstepdb.bench.BenchRun;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockstep bench}: throughput and latency of LockstepDB next to H2 and a no-op Ratis cluster. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
                "Benchmark LockstepDB and, in the same run, its baselines: embedded H2 (the same SQL on one machine)"
                        + " and a 3-server Ratis cluster whose state machine does nothing (the consensus ceiling).",
                "Each workload runs C closed-loop clients (one connection each) for the warm-up, then for D measured"
                        + " seconds, and reports ops/s, rows/s and p50/p90/p99/max latency; then the ratios"
                        + " lockstep/noop and lockstep/h2, and the results as TSV.",
                "Without --url a temporary 3-replica cluster is started in this JVM and deleted afterwards. The"
                        + " workloads drop, recreate and finally drop the table bench_kv.",
                "A fresh JVM runs 5-10x slower for its first ~100 s (JIT): for stable figures use --warmup 100 or"
                        + " more; on a shared machine compare the ratios, not the absolute numbers.",
                "transfer: interactive transactions (setAutoCommit(false), read two balances, write both, commit),"
                        + " retried on 40001; reports committed transfers/s, the abort rate, and checks the total.",
                "Exit code: 0 done; 1 a workload had more than 1%% failed operations or could not run (the run"
                        + " stops, everything is cleaned up); 2 bad options.",
                ""})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--url", paramLabel = "URL",
            description = "Benchmark this running cluster (jdbc:lockstep://host:port,...). Default: a temporary local cluster.")
    String url;

    @Option(names = "--clients", paramLabel = "C", defaultValue = "8",
            description = "Concurrent clients per workload, each with its own connection (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "20",
            description = "Measured seconds per workload (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "10",
            description = "Unmeasured seconds before each workload (default: ${DEFAULT-VALUE}; ~100 for a fresh JVM).")
    int warmup;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100",
            description = "Rows per executeBatch in the batch workload (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--workloads", paramLabel = "LIST", defaultValue = "insert,batch,select-linearizable,select-follower",
            description = "Comma-separated: insert, batch, select-linearizable, select-follower, transfer, or all"
                    + " (default: ${DEFAULT-VALUE}).")
    String workloads;

    @Option(names = "--transfer-clients", paramLabel = "LIST", defaultValue = "1,8,64",
            description = "Client counts the transfer workload runs at, one run each, beside the insert workload at the"
                    + " same count (default: ${DEFAULT-VALUE}).")
    String transferClients;

    @Option(names = "--accounts", paramLabel = "N", defaultValue = "1000",
            description = "Accounts of the transfer workload (default: ${DEFAULT-VALUE}); fewer accounts, more aborts.")
    int accounts;

    @Option(names = "--baselines", paramLabel = "LIST", defaultValue = "h2,noop",
            description = "Comma-separated baselines measured in the same run: h2, noop; or none (default: ${DEFAULT-VALUE}).")
    String baselines;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "10000",
            description = "Rows preloaded for the SELECT workloads (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    Path json;

    @Option(names = "--tsv", paramLabel = "FILE",
            description = "Also write the summary as TSV to FILE (the TSV is printed to stdout at the end anyway).")
    Path tsv;

    @Option(names = "--log", paramLabel = "FILE", defaultValue = "lockstep-bench.log",
            description = "Server and client logs go to FILE, keeping the results readable (default: ${DEFAULT-VALUE}).")
    Path log;

    @Override
    public Integer call() {
        LogFiles.onlyLogTo(log);
        BenchOptions options;
        try {
            options = new BenchOptions(url, clients, duration, warmup, batch, BenchOptions.parseWorkloads(workloads),
                    BenchOptions.parseBaselines(baselines), rows, json, tsv,
                    BenchOptions.parseClientCounts(transferClients), accounts);
        } catch (IllegalArgumentException e) {
            System.err.println("lockstep bench: " + e.getMessage());
            return 2;
        }
        return BenchRun.run(options, System.out).exitCode();
    }
}
