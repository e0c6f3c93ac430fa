package org.lockstepdb.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders results: a readable table per workload family, the ratios, TSV and JSON.
 *
 * <p><b>TSV.</b>
 * A header line and one line per result, tab-separated, always these columns in this order (latencies in
 * milliseconds with 3 decimals, rates with 1 decimal, {@code seconds} with 3):
 * <pre>
 * system workload clients seconds ops rows errors ops_per_s rows_per_s p50_ms p90_ms p99_ms max_ms mean_ms
 * aborts abort_rate
 * </pre>
 * {@code system} is {@code lockstep}, {@code noop} or {@code h2}; {@code workload} is {@code insert},
 * {@code batch}, {@code select-linearizable}, {@code select-follower}, {@code select} (H2's point select) or
 * {@code transfer} (ops = committed transfers; {@code aborts} = attempts aborted with 40001 and retried,
 * {@code abort_rate} = aborts ÷ (ops + aborts), 4 decimals; 0 for the other workloads).
 * The ratios are not in the TSV (they are in the table output and the JSON).
 *
 * <p><b>JSON.</b>
 * <pre>
 * {"tool": "lockstep bench", "format": 1,
 *  "settings": {"url": string|null, "clients": n, "duration_s": n, "warmup_s": n, "batch": n, "rows": n,
 *               "transfer_clients": [n, ..], "accounts": n,
 *               "workloads": [..], "baselines": [..]},
 *  "results": [{one object per result, keys = the TSV columns, numbers as numbers, and "note": string|null
 *               (what the workload checked afterwards)}],
 *  "ratios": [{"name": "lockstep/noop insert ops_per_s", "metric": "ops_per_s"|"rows_per_s",
 *              "numerator": {"system": s, "workload": w}, "denominator": {"system": s, "workload": w},
 *              "value": x}],
 *  "aborted": null | "why the run stopped early"}
 * </pre>
 */
public final class ResultReport {
    public static final List<String> TSV_COLUMNS = List.of("system", "workload", "clients", "seconds", "ops", "rows",
            "errors", "ops_per_s", "rows_per_s", "p50_ms", "p90_ms", "p99_ms", "max_ms", "mean_ms", "aborts",
            "abort_rate");

    /**
     * A quotient of two systems' throughput measured in the same run.
     *
     * @param metric {@code ops_per_s} or {@code rows_per_s}
     */
    public record Ratio(String name, String metric, BenchResult numerator, BenchResult denominator) {
        public double value() {
            double d = rate(denominator);
            return d == 0 ? Double.NaN : rate(numerator) / d;
        }

        private double rate(BenchResult r) {
            return metric.equals("rows_per_s") ? r.rowsPerSecond() : r.opsPerSecond();
        }
    }

    private ResultReport() {
    }

    /**
     * lockstep insert ÷ noop insert, lockstep ÷ h2 for each workload (batch by rows/s) present, and each transfer
     * run ÷ the insert run with as many clients (committed transfers per single-row autocommit insert).
     */
    public static List<Ratio> ratios(List<BenchResult> results) {
        List<Ratio> ratios = new ArrayList<>();
        for (BenchResult transfer : results) {
            if (!transfer.workload().equals(BenchOptions.TRANSFER)) {
                continue;
            }
            results.stream().filter(r -> r.system().equals(transfer.system()) && r.clients() == transfer.clients()
                            && r.workload().equals(BenchOptions.INSERT)).findFirst()
                    .ifPresent(insert -> ratios.add(new Ratio(transfer.system() + " transfer/insert " + transfer.clients()
                            + " clients ops_per_s", "ops_per_s", transfer, insert)));
        }
        addRatio(ratios, results, BenchOptions.INSERT, BenchOptions.NOOP, BenchOptions.INSERT, "ops_per_s");
        addRatio(ratios, results, BenchOptions.INSERT, BenchOptions.H2, BenchOptions.INSERT, "ops_per_s");
        addRatio(ratios, results, BenchOptions.BATCH, BenchOptions.H2, BenchOptions.BATCH, "rows_per_s");
        addRatio(ratios, results, BenchOptions.SELECT_LINEARIZABLE, BenchOptions.H2, BenchOptions.SELECT, "ops_per_s");
        addRatio(ratios, results, BenchOptions.SELECT_FOLLOWER, BenchOptions.H2, BenchOptions.SELECT, "ops_per_s");
        return ratios;
    }

    private static void addRatio(List<Ratio> out, List<BenchResult> results, String workload, String baseSystem,
                                 String baseWorkload, String metric) {
        Optional<BenchResult> num = find(results, BenchOptions.LOCKSTEP, workload);
        Optional<BenchResult> den = find(results, baseSystem, baseWorkload);
        if (num.isPresent() && den.isPresent()) {
            String name = BenchOptions.LOCKSTEP + "/" + baseSystem + " " + workload + " " + metric;
            out.add(new Ratio(name, metric, num.get(), den.get()));
        }
    }

    public static Optional<BenchResult> find(List<BenchResult> results, String system, String workload) {
        return results.stream().filter(r -> r.system().equals(system) && r.workload().equals(workload)).findFirst();
    }

    /** Which table a workload goes in: insert, batch or select. */
    static String family(String workload) {
        return workload.startsWith("select") ? "select" : workload;
    }

    /** One table per workload family (insert, batch, select), then the ratios. */
    public static String table(List<BenchResult> results) {
        StringBuilder sb = new StringBuilder();
        for (String family : List.of("insert", "batch", "select", BenchOptions.TRANSFER)) {
            List<BenchResult> rows = results.stream().filter(r -> family(r.workload()).equals(family)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            sb.append("== ").append(family).append(" ==\n");
            sb.append(String.format(Locale.ROOT, "%-9s %-20s %7s %10s %10s %11s %9s %9s %9s %9s %7s%n",
                    "system", "workload", "clients", "ops", "ops/s", "rows/s", "p50 ms", "p90 ms", "p99 ms",
                    "max ms", "errors"));
            for (BenchResult r : rows) {
                sb.append(String.format(Locale.ROOT, "%-9s %-20s %7d %10d %10.1f %11.1f %9.3f %9.3f %9.3f %9.3f %7d%n",
                        r.system(), r.workload(), r.clients(), r.ops(), r.opsPerSecond(), r.rowsPerSecond(),
                        r.percentileMillis(50), r.percentileMillis(90), r.percentileMillis(99), r.maxMillis(),
                        r.errors()));
                if (r.retries() > 0 || r.note() != null) {
                    sb.append(String.format(Locale.ROOT, "%-30s %d aborted attempts retried (abort rate %.1f%%)%s%n",
                            "", r.retries(), 100 * r.abortRate(), r.note() == null ? "" : "; " + r.note()));
                }
            }
            sb.append('\n');
        }
        List<Ratio> ratios = ratios(results);
        if (!ratios.isEmpty()) {
            sb.append("== ratios (same run) ==\n");
            for (Ratio ratio : ratios) {
                double v = ratio.value();
                sb.append(String.format(Locale.ROOT, "%-48s %10.4g%s%n", ratio.name(), v,
                        v > 0 && v < 1 ? String.format(Locale.ROOT, "  (= 1/%.1f)", 1 / v) : ""));
            }
        }
        return sb.toString();
    }

    public static String tsv(List<BenchResult> results) {
        StringBuilder sb = new StringBuilder(String.join("\t", TSV_COLUMNS)).append('\n');
        for (BenchResult r : results) {
            sb.append(String.join("\t", r.system(), r.workload(), Integer.toString(r.clients()),
                    fmt(r.seconds(), 3), Long.toString(r.ops()), Long.toString(r.rows()), Long.toString(r.errors()),
                    fmt(r.opsPerSecond(), 1), fmt(r.rowsPerSecond(), 1), fmt(r.percentileMillis(50), 3),
                    fmt(r.percentileMillis(90), 3), fmt(r.percentileMillis(99), 3), fmt(r.maxMillis(), 3),
                    fmt(r.meanMillis(), 3), Long.toString(r.retries()), fmt(r.abortRate(), 4))).append('\n');
        }
        return sb.toString();
    }

    public static String json(BenchOptions options, List<BenchResult> results, String aborted) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"tool\": \"lockstep bench\",\n  \"format\": 1,\n  \"settings\": {");
        sb.append("\"url\": ").append(str(options.url()));
        sb.append(", \"clients\": ").append(options.clients());
        sb.append(", \"duration_s\": ").append(options.durationSeconds());
        sb.append(", \"warmup_s\": ").append(options.warmupSeconds());
        sb.append(", \"batch\": ").append(options.batch());
        sb.append(", \"rows\": ").append(options.rows());
        sb.append(", \"transfer_clients\": ").append(options.transferClients());
        sb.append(", \"accounts\": ").append(options.accounts());
        sb.append(", \"workloads\": ").append(strArray(options.workloads()));
        sb.append(", \"baselines\": ").append(strArray(BenchOptions.ALL_BASELINES.stream()
                .filter(options.baselines()::contains).toList()));
        sb.append("},\n  \"results\": [");
        for (int i = 0; i < results.size(); i++) {
            BenchResult r = results.get(i);
            sb.append(i == 0 ? "\n    " : ",\n    ").append('{');
            sb.append("\"system\": ").append(str(r.system()));
            sb.append(", \"workload\": ").append(str(r.workload()));
            sb.append(", \"clients\": ").append(r.clients());
            sb.append(", \"seconds\": ").append(num(r.seconds(), 3));
            sb.append(", \"ops\": ").append(r.ops());
            sb.append(", \"rows\": ").append(r.rows());
            sb.append(", \"errors\": ").append(r.errors());
            sb.append(", \"ops_per_s\": ").append(num(r.opsPerSecond(), 1));
            sb.append(", \"rows_per_s\": ").append(num(r.rowsPerSecond(), 1));
            sb.append(", \"p50_ms\": ").append(num(r.percentileMillis(50), 3));
            sb.append(", \"p90_ms\": ").append(num(r.percentileMillis(90), 3));
            sb.append(", \"p99_ms\": ").append(num(r.percentileMillis(99), 3));
            sb.append(", \"max_ms\": ").append(num(r.maxMillis(), 3));
            sb.append(", \"mean_ms\": ").append(num(r.meanMillis(), 3));
            sb.append(", \"aborts\": ").append(r.retries());
            sb.append(", \"abort_rate\": ").append(num(r.abortRate(), 4));
            sb.append(", \"note\": ").append(str(r.note()));
            sb.append('}');
        }
        sb.append(results.isEmpty() ? "],\n" : "\n  ],\n");
        sb.append("  \"ratios\": [");
        List<Ratio> ratios = ratios(results);
        for (int i = 0; i < ratios.size(); i++) {
            Ratio q = ratios.get(i);
            sb.append(i == 0 ? "\n    " : ",\n    ").append('{');
            sb.append("\"name\": ").append(str(q.name()));
            sb.append(", \"metric\": ").append(str(q.metric()));
            sb.append(", \"numerator\": {\"system\": ").append(str(q.numerator().system()))
                    .append(", \"workload\": ").append(str(q.numerator().workload())).append('}');
            sb.append(", \"denominator\": {\"system\": ").append(str(q.denominator().system()))
                    .append(", \"workload\": ").append(str(q.denominator().workload())).append('}');
            sb.append(", \"value\": ").append(num(q.value(), 4));
            sb.append('}');
        }
        sb.append(ratios.isEmpty() ? "],\n" : "\n  ],\n");
        sb.append("  \"aborted\": ").append(str(aborted)).append("\n}\n");
        return sb.toString();
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A JSON number; NaN and infinities (not JSON) become null. */
    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? fmt(v, decimals) : "null";
    }

    private static String strArray(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(str(values.get(i)));
        }
        return sb.append(']').toString();
    }

    /** A JSON string literal (or null). */
    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
