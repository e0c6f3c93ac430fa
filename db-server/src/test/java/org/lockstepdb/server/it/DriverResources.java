package org.lockstepdb.server.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What this JVM holds open, for leak checks: live threads grouped by name with the digits removed
 * ({@code grpc-nio-worker-ELG-3-7} counts as {@code grpc-nio-worker-ELG--}), and open file descriptors and
 * sockets from {@code /proc/self/fd} (Linux; -1 elsewhere).
 */
record DriverResources(Map<String, Integer> threadsByName, int threads, int fds, int sockets) {
    static DriverResources now() {
        Map<String, Integer> byName = new TreeMap<>();
        int total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                byName.merge(t.getName().replaceAll("[0-9]+", ""), 1, Integer::sum);
                total++;
            }
        }
        int fds = -1;
        int sockets = -1;
        Path dir = Path.of("/proc/self/fd");
        if (Files.isDirectory(dir)) {
            fds = 0;
            sockets = 0;
            try (Stream<Path> links = Files.list(dir)) {
                for (Path link : (Iterable<Path>) links::iterator) {
                    fds++;
                    try {
                        if (Files.readSymbolicLink(link).toString().startsWith("socket:")) {
                            sockets++;
                        }
                    } catch (IOException e) {
                        // closed while listing (e.g. the listing's own descriptor): not a leak
                    }
                }
            } catch (IOException e) {
                fds = -1;
                sockets = -1;
            }
        }
        return new DriverResources(Map.copyOf(byName), total, fds, sockets);
    }

    /** Thread groups that have more threads than in {@code before}, with the growth. */
    Map<String, Integer> threadGrowthSince(DriverResources before) {
        Map<String, Integer> growth = new TreeMap<>();
        threadsByName.forEach((name, n) -> {
            int was = before.threadsByName.getOrDefault(name, 0);
            if (n > was) {
                growth.put(name, n - was);
            }
        });
        return growth;
    }

    @Override
    public String toString() {
        return threads + " threads, " + fds + " fds (" + sockets + " sockets): " + threadsByName;
    }
}
