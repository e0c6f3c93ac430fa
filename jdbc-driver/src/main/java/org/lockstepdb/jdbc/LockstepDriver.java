package org.lockstepdb.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * {@code java.sql.Driver} for {@code jdbc:lockstep://host:port[,host:port...][?options]} URLs (see
 * {@link ConnectionUrl#describe()}). Registered with {@link DriverManager} when loaded and through
 * {@code META-INF/services/java.sql.Driver}.
 */
public final class LockstepDriver implements Driver {
    public static final int MAJOR_VERSION = 0;
    public static final int MINOR_VERSION = 1;
    public static final String VERSION = "0.1.0-SNAPSHOT";
    public static final String NAME = "LockstepDB JDBC Driver";

    private static final LockstepDriver INSTANCE = new LockstepDriver();
    /**
     * gRPC and Netty inside Ratis log through java.util.logging, whose default console handler prints INFO lines
     * ("Epoll available …") to stderr of whatever application loads the driver. Their loggers are raised to
     * WARNING unless the application configured a level itself; held here because JUL keeps loggers weakly.
     */
    private static final java.util.List<Logger> QUIET_LOGGERS = quietThirdPartyLogging();

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static java.util.List<Logger> quietThirdPartyLogging() {
        java.util.List<Logger> quiet = new java.util.ArrayList<>();
        for (String name : new String[] {"org.apache.ratis.thirdparty.io.grpc", "org.apache.ratis.thirdparty.io.netty",
                "io.grpc", "io.netty"}) {
            Logger logger = Logger.getLogger(name);
            if (logger.getLevel() == null) {
                logger.setLevel(java.util.logging.Level.WARNING);
            }
            quiet.add(logger);
        }
        return java.util.List.copyOf(quiet);
    }

    /** Makes sure the driver is registered (loading this class registers it). */
    public static LockstepDriver load() {
        return INSTANCE;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        ConnectionUrl parsed = ConnectionUrl.parse(url, info);
        return new LockstepConnection(parsed, ClusterClient.connect(parsed));
    }

    @Override
    public boolean acceptsURL(String url) {
        return ConnectionUrl.accepts(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        ConnectionUrl.Option[] options = ConnectionUrl.Option.values();
        DriverPropertyInfo[] r = new DriverPropertyInfo[options.length];
        for (int i = 0; i < options.length; i++) {
            ConnectionUrl.Option o = options[i];
            String value = info == null ? null : info.getProperty(o.key);
            DriverPropertyInfo p = new DriverPropertyInfo(o.key, value != null ? value : o.defaultValue);
            p.description = o.description + " (default " + o.defaultValue + ")";
            p.required = false;
            if (o == ConnectionUrl.Option.READ) {
                p.choices = new String[] {"linearizable", "follower", "stale"};
            } else if (o == ConnectionUrl.Option.READ_YOUR_WRITES) {
                p.choices = new String[] {"true", "false"};
            }
            r[i] = p;
        }
        return r;
    }

    @Override
    public int getMajorVersion() {
        return MAJOR_VERSION;
    }

    @Override
    public int getMinorVersion() {
        return MINOR_VERSION;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("The LockstepDB driver logs through SLF4J, not java.util.logging",
                "0A000");
    }
}
