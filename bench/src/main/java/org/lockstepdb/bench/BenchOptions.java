package org.lockstepdb.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Settings of one {@code lockstep bench} run.
 *
 * @param url             a running cluster's {@code jdbc:lockstep://} URL, or null for a temporary in-process
 *                        3-replica cluster
 * @param clients         concurrent closed-loop clients per workload, each with its own connection
 * @param durationSeconds measured seconds per workload
 * @param warmupSeconds   unmeasured seconds before each workload's measurement
 * @param batch           rows per executeBatch in the {@code batch} workload
 * @param workloads       a non-empty subset of {@link #ALL_WORKLOADS}, in that order
 * @param baselines       a subset of {@link #ALL_BASELINES}
 * @param rows            rows preloaded for the SELECT workloads
 * @param json            where to write the JSON summary, or null
 * @param tsv             where to write the TSV summary, or null
 * @param transferClients the client counts the {@code transfer} workload runs at, each a run of its own (with the
 *                        {@code insert} baseline at the same count when {@code insert} is chosen too)
 * @param accounts        accounts of the {@code transfer} workload
 */
public record BenchOptions(String url, int clients, int durationSeconds, int warmupSeconds, int batch,
                           List<String> workloads, Set<String> baselines, int rows, Path json, Path tsv,
                           List<Integer> transferClients, int accounts) {
    public static final String INSERT = "insert";
    public static final String BATCH = "batch";
    public static final String SELECT_LINEARIZABLE = "select-linearizable";
    public static final String SELECT_FOLLOWER = "select-follower";
    /** Interactive transactions: the bank transfer ({@link BankTransfers}). */
    public static final String TRANSFER = "transfer";
    public static final List<Integer> DEFAULT_TRANSFER_CLIENTS = List.of(1, 8, 64);
    public static final int DEFAULT_ACCOUNTS = 1_000;
    /** The H2 baseline's point select, compared with both LockstepDB select workloads. */
    public static final String SELECT = "select";
    public static final List<String> ALL_WORKLOADS = List.of(INSERT, BATCH, SELECT_LINEARIZABLE, SELECT_FOLLOWER,
            TRANSFER);
    public static final String H2 = "h2";
    public static final String NOOP = "noop";
    public static final String LOCKSTEP = "lockstep";
    public static final List<String> ALL_BASELINES = List.of(H2, NOOP);

    public BenchOptions {
        if (url != null && !url.startsWith("jdbc:lockstep:")) {
            throw new IllegalArgumentException("--url must be a jdbc:lockstep://host:port,... URL, not " + url);
        }
        if (clients < 1 || clients > 4096) {
            throw new IllegalArgumentException("--clients must be 1..4096");
        }
        if (durationSeconds < 1) {
            throw new IllegalArgumentException("--duration must be at least 1 second");
        }
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("--warmup must not be negative");
        }
        if (batch < 1 || batch > 100_000) {
            throw new IllegalArgumentException("--batch must be 1..100000");
        }
        if (rows < 1) {
            throw new IllegalArgumentException("--rows must be at least 1");
        }
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("--workloads must name at least one workload");
        }
        if (transferClients.isEmpty() || transferClients.stream().anyMatch(c -> c < 1 || c > 4096)) {
            throw new IllegalArgumentException("--transfer-clients must list client counts of 1..4096");
        }
        if (accounts < 2) {
            throw new IllegalArgumentException("--accounts must be at least 2");
        }
        workloads = List.copyOf(workloads);
        baselines = Set.copyOf(baselines);
        transferClients = List.copyOf(new LinkedHashSet<>(transferClients));
    }

    /** Settings without the transfer workload's own (its defaults: 1, 8, 64 clients; 1,000 accounts). */
    public BenchOptions(String url, int clients, int durationSeconds, int warmupSeconds, int batch,
                        List<String> workloads, Set<String> baselines, int rows, Path json, Path tsv) {
        this(url, clients, durationSeconds, warmupSeconds, batch, workloads, baselines, rows, json, tsv,
                DEFAULT_TRANSFER_CLIENTS, DEFAULT_ACCOUNTS);
    }

    /** Parses {@code 1,8,64}. */
    public static List<Integer> parseClientCounts(String csv) {
        List<Integer> counts = new ArrayList<>();
        for (String p : split(csv)) {
            try {
                counts.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a client count: '" + p + "'");
            }
        }
        return counts;
    }

    /** Parses {@code insert,batch,...} (or {@code all}); keeps the canonical order, drops duplicates. */
    public static List<String> parseWorkloads(String csv) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String w : split(csv)) {
            if (w.equals("all")) {
                chosen.addAll(ALL_WORKLOADS);
            } else if (ALL_WORKLOADS.contains(w)) {
                chosen.add(w);
            } else {
                throw new IllegalArgumentException("unknown workload '" + w + "'; choose from "
                        + String.join(",", ALL_WORKLOADS));
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String w : ALL_WORKLOADS) {
            if (chosen.contains(w)) {
                ordered.add(w);
            }
        }
        return ordered;
    }

    /** Parses {@code h2,noop} or {@code none}. */
    public static Set<String> parseBaselines(String csv) {
        Set<String> chosen = new LinkedHashSet<>();
        for (String b : split(csv)) {
            if (b.equals("none")) {
                continue;
            }
            if (!ALL_BASELINES.contains(b)) {
                throw new IllegalArgumentException("unknown baseline '" + b + "'; choose from h2,noop or none");
            }
            chosen.add(b);
        }
        return chosen;
    }

    private static List<String> split(String csv) {
        List<String> parts = new ArrayList<>();
        for (String p : csv.split(",")) {
            String t = p.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                parts.add(t);
            }
        }
        return parts;
    }

    public boolean runs(String workload) {
        return workloads.contains(workload);
    }

    public boolean runsAnySelect() {
        return runs(SELECT_LINEARIZABLE) || runs(SELECT_FOLLOWER);
    }

    public WorkloadRunner.Settings runnerSettings() {
        return runnerSettings(clients);
    }

    /** The run settings with {@code clientCount} clients. */
    public WorkloadRunner.Settings runnerSettings(int clientCount) {
        return WorkloadRunner.Settings.of(clientCount, java.time.Duration.ofSeconds(warmupSeconds),
                java.time.Duration.ofSeconds(durationSeconds));
    }
}
