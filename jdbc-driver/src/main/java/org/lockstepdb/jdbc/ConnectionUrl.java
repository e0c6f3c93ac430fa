package org.lockstepdb.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * A parsed {@code jdbc:lockstep://host:port[,host:port...][/][?option=value[&option=value...]]} URL.
 *
 * <p>The addresses are the servers' Raft (gRPC) addresses; any one reachable address is enough, the driver
 * discovers the others. Options may also be given as connection {@code Properties}; an option in the URL wins
 * over the same property. {@code user} and {@code password} are accepted, not checked (no authentication yet);
 * the user is what {@code USER()} and {@code CURRENT_USER} report for this connection.
 * See {@link #describe()} for the options.
 *
 * @param addresses        {@code host:port} strings, in URL order
 * @param read             the read consistency ({@code read})
 * @param readYourWrites   stale reads are no older than this connection's last write ({@code readYourWrites})
 * @param timeoutMillis    a write's deadline: it is retried until then (a statement's query timeout may shorten it);
 *                         for queries, per attempt and the window in which a failed query is retried ({@code timeoutMs})
 * @param retries          at most this many retries of one query or admin read; writes are bounded by their
 *                         deadline only ({@code retries})
 * @param retryIntervalMillis sleep between retries ({@code retryIntervalMs})
 * @param connectTimeoutMillis per address, for discovering the cluster ({@code connectTimeoutMs})
 * @param maxRows          default {@code Statement.setMaxRows} (0 = no limit) ({@code maxRows})
 * @param user             the user name as given ({@code user}; "" if none): what {@code USER()} reports,
 *                         upper-cased as H2 does ({@link #sessionUser()}); no authentication yet
 * @param txIdleTimeoutMillis an open transaction unused for longer is rolled back; its next use fails with 25P03
 *                         ({@code txIdleTimeoutMs})
 * @param txOnLeader       transactions run their statements on the leader instead of a follower ({@code txHome})
 */
public record ConnectionUrl(String url, List<String> addresses, ReadConsistency read, boolean readYourWrites,
                            long timeoutMillis, int retries, long retryIntervalMillis, long connectTimeoutMillis,
                            int maxRows, String user, long txIdleTimeoutMillis, boolean txOnLeader) {
    /**
     * A retried write is recognised by the servers' retry cache (kept 300 s, see the server's RaftSettings) only
     * while its entry lives. A write is retried for at most this long from its start, well below that.
     */
    public static final long MAX_TIMEOUT_MILLIS = 60_000;

    public static final String PREFIX = "jdbc:lockstep:";
    private static final String FULL_PREFIX = "jdbc:lockstep://";

    /** Option name, default, description: also the source of {@code Driver.getPropertyInfo}. */
    enum Option {
        READ("read", "linearizable", "Read consistency: linearizable (leader ReadIndex; default), follower "
                + "(linearizable, answered by a follower) or stale (a follower's local state; may lag)"),
        READ_YOUR_WRITES("readYourWrites", "true", "With read=stale: never read older than this connection's last "
                + "write (true/false)"),
        TIMEOUT_MS("timeoutMs", "10000", "How long a write keeps being retried (leader election, unreachable "
                + "servers) before it fails with 08006, in ms; for queries, per attempt and retry window; at most 60000"),
        RETRIES("retries", "40", "Maximum retries of one query or admin read (writes retry until timeoutMs)"),
        RETRY_INTERVAL_MS("retryIntervalMs", "250", "Sleep between retries, in ms"),
        CONNECT_TIMEOUT_MS("connectTimeoutMs", "5000", "Per address, in ms, when discovering the cluster at connect"),
        MAX_ROWS("maxRows", "0", "Default maximum rows of a query result (0 = no limit)"),
        USER("user", "", "User name: what USER() and CURRENT_USER report (upper-cased, as H2 does); not checked"),
        PASSWORD("password", "", "Accepted and ignored (no authentication yet)"),
        TX_IDLE_TIMEOUT_MS("txIdleTimeoutMs", "60000", "An open transaction (autoCommit=false) unused for longer is "
                + "rolled back; its next statement or commit fails with 25P03, in ms"),
        TX_HOME("txHome", "follower", "Where an open transaction's statements run: follower (a follower, round-robin "
                + "over connections; default) or leader");

        final String key;
        final String defaultValue;
        final String description;

        Option(String key, String defaultValue, String description) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        static Option byKey(String key) {
            for (Option o : values()) {
                if (o.key.equalsIgnoreCase(key)) {
                    return o;
                }
            }
            return null;
        }
    }

    public ConnectionUrl {
        addresses = List.copyOf(addresses);
    }

    /** The user as H2 reports it: upper-cased with English rules, "" when none was given (as embedded H2). */
    public String sessionUser() {
        return user.toUpperCase(java.util.Locale.ENGLISH);
    }

    public static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** Parses a URL with no extra properties. */
    public static ConnectionUrl parse(String url) throws SQLException {
        return parse(url, null);
    }

    /** Parses a URL; {@code info} may carry options too (the URL wins). Errors are SQLState 08001. */
    public static ConnectionUrl parse(String url, Properties info) throws SQLException {
        if (url == null || !url.regionMatches(true, 0, FULL_PREFIX, 0, FULL_PREFIX.length())) {
            throw bad(url, "expected jdbc:lockstep://host:port[,host:port...][?option=value&...]");
        }
        String rest = url.substring(FULL_PREFIX.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            // An optional path (a database name in other drivers' URLs) is ignored: a cluster holds one database.
            rest = rest.substring(0, slash);
        }
        List<String> addresses = new ArrayList<>();
        for (String part : rest.split(",", -1)) {
            addresses.add(parseAddress(url, part.trim()));
        }

        Map<Option, String> values = new LinkedHashMap<>();
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                Option o = Option.byKey(name);
                if (o != null) {
                    values.put(o, info.getProperty(name));
                }
            }
        }
        if (!query.isEmpty()) {
            for (String pair : query.split("[&;]")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw bad(url, "option '" + pair + "' must be name=value");
                }
                String key = decode(pair.substring(0, eq));
                Option o = Option.byKey(key);
                if (o == null) {
                    throw bad(url, "unknown option '" + key + "'; known options: " + knownOptions());
                }
                values.put(o, decode(pair.substring(eq + 1)));
            }
        }
        ReadConsistency read = option(url, values, Option.READ, ReadConsistency::parse);
        boolean ryw = option(url, values, Option.READ_YOUR_WRITES, ConnectionUrl::parseBoolean);
        long timeout = option(url, values, Option.TIMEOUT_MS, v -> parseLong(v, 1, MAX_TIMEOUT_MILLIS));
        int retries = option(url, values, Option.RETRIES, v -> (int) parseLong(v, 0, 10_000));
        long retryInterval = option(url, values, Option.RETRY_INTERVAL_MS, v -> parseLong(v, 1, 60_000));
        long connectTimeout = option(url, values, Option.CONNECT_TIMEOUT_MS, v -> parseLong(v, 1, 3_600_000));
        int maxRows = option(url, values, Option.MAX_ROWS, v -> (int) parseLong(v, 0, Integer.MAX_VALUE));
        String user = values.getOrDefault(Option.USER, "");
        if (user.length() > org.lockstepdb.protocol.SessionValues.MAX_NAME_LENGTH) {
            throw bad(url, "option user is longer than " + org.lockstepdb.protocol.SessionValues.MAX_NAME_LENGTH
                    + " characters");
        }
        long txIdle = option(url, values, Option.TX_IDLE_TIMEOUT_MS, v -> parseLong(v, 1, 86_400_000));
        boolean txOnLeader = option(url, values, Option.TX_HOME, ConnectionUrl::parseTxHome);
        return new ConnectionUrl(url, addresses, read, ryw, timeout, retries, retryInterval, connectTimeout, maxRows,
                user, txIdle, txOnLeader);
    }

    private static boolean parseTxHome(String v) {
        if (v.equalsIgnoreCase("leader") || v.equalsIgnoreCase("follower")) {
            return v.equalsIgnoreCase("leader");
        }
        throw new IllegalArgumentException("must be follower or leader, not '" + v + "'");
    }

    private static <T> T option(String url, Map<Option, String> values, Option o, Function<String, T> parser)
            throws SQLException {
        String v = values.getOrDefault(o, o.defaultValue);
        if (v == null || v.isBlank()) {
            throw bad(url, "option " + o.key + " has an empty value");
        }
        try {
            return parser.apply(v.trim());
        } catch (IllegalArgumentException e) {
            throw bad(url, "option " + o.key + " " + e.getMessage());
        }
    }

    private static boolean parseBoolean(String v) {
        if ("true".equalsIgnoreCase(v)) {
            return true;
        }
        if ("false".equalsIgnoreCase(v)) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false, not '" + v + "'");
    }

    private static long parseLong(String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    private static String parseAddress(String url, String part) throws SQLException {
        if (part.isEmpty()) {
            throw bad(url, "empty server address; expected host:port[,host:port...]");
        }
        String host;
        String port;
        if (part.startsWith("[")) {
            int end = part.indexOf(']');
            if (end < 0 || end + 1 >= part.length() || part.charAt(end + 1) != ':') {
                throw bad(url, "address '" + part + "' must be [ipv6]:port");
            }
            host = part.substring(0, end + 1);
            port = part.substring(end + 2);
        } else {
            int colon = part.lastIndexOf(':');
            if (colon <= 0 || part.indexOf(':') != colon) {
                throw bad(url, "address '" + part + "' must be host:port");
            }
            host = part.substring(0, colon);
            port = part.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(url, "address '" + part + "' has an invalid port '" + port + "'");
        }
        if (p < 1 || p > 65535) {
            throw bad(url, "address '" + part + "' has port " + p + " outside 1-65535");
        }
        return host + ":" + p;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String knownOptions() {
        StringBuilder sb = new StringBuilder();
        for (Option o : Option.values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(o.key);
        }
        return sb.toString();
    }

    private static SQLException bad(String url, String problem) {
        return new SQLNonTransientConnectionException("Invalid LockstepDB URL '" + url + "': " + problem, "08001");
    }

    /** Readable documentation of the URL format and every option with its default. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("jdbc:lockstep://host:port[,host:port...][?option=value[&option=value...]]\n");
        sb.append("  host:port  a server's Raft (gRPC) address; one reachable server is enough, the others are"
                + " discovered\n");
        sb.append("Options (also accepted as connection properties; the URL wins):\n");
        for (Option o : Option.values()) {
            sb.append("  ").append(o.key).append(" (default ").append(o.defaultValue).append("): ")
                    .append(o.description).append('\n');
        }
        return sb.toString();
    }

    /** Whether stale reads should pass the connection's last write index. */
    boolean passLastWriteIndex() {
        return read == ReadConsistency.STALE && readYourWrites;
    }

    @Override
    public String toString() {
        return url;
    }
}
