package org.lockstepdb.server;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * gRPC (shaded inside Ratis, in the server and in the driver) logs through java.util.logging; this sends it to
 * slf4j like everything else, so one backend configuration covers all of a process's log lines.
 */
public final class JulLogging {
    private JulLogging() {
    }

    /** Installs the bridge once per JVM (idempotent, safe from several starting replicas). */
    public static synchronized void routeToSlf4j() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
