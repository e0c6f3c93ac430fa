package org.lockstepdb.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lockstepdb.storage.Entries.ok;
import static org.lockstepdb.storage.Entries.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstepdb.protocol.QueryRequest;
import org.lockstepdb.protocol.QueryResult;
import org.lockstepdb.protocol.Reply;

/**
 * A query running while apply commits a multi-statement entry must see one committed state (all of the entry or
 * none of it), never the part applied so far: here, the total of transfers between accounts never changes.
 */
class ConcurrentReadTest {
    private static final int ACCOUNTS = 10;
    private static final long TOTAL = 10_000;

    @TempDir
    Path dir;

    @Test
    void readersAlwaysSeeTheConservedTotal() throws Exception {
        try (SqlStore store = SqlStore.open(dir)) {
            ok(store.apply(1, 1, write("CREATE TABLE acct(id INT PRIMARY KEY, bal BIGINT NOT NULL CHECK (bal >= 0))")));
            ok(store.apply(1, 2, write("INSERT INTO acct SELECT X, " + TOTAL / ACCOUNTS
                    + " FROM SYSTEM_RANGE(1, " + ACCOUNTS + ")")));
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong reads = new AtomicLong();
            ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<Long> writer = pool.submit(() -> {
                    Random random = new Random(42);
                    long index = 2;
                    while (!stop.get()) {
                        int from = 1 + random.nextInt(ACCOUNTS);
                        int to = 1 + random.nextInt(ACCOUNTS);
                        int amount = 1 + random.nextInt(200); // sometimes overdraws: CHECK fails, entry rolls back
                        store.apply(1, ++index, write("UPDATE acct SET bal = bal - " + amount + " WHERE id = " + from,
                                "UPDATE acct SET bal = bal + " + amount + " WHERE id = " + to));
                    }
                    return index;
                });
                List<Future<?>> readers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    readers.add(pool.submit(() -> {
                        long lastIndex = -1;
                        while (!stop.get()) {
                            Reply reply = store.query(new QueryRequest("SELECT SUM(bal), MIN(bal) FROM acct", List.of(), 0));
                            QueryResult q = (QueryResult) reply;
                            Object sum = q.data().rows().get(0).get(0).value();
                            long min = ((Number) q.data().rows().get(0).get(1).value()).longValue();
                            if (!java.math.BigDecimal.valueOf(TOTAL).equals(sum) || min < 0) {
                                violations.add("sum " + sum + " min " + min + " at index " + q.appliedIndex());
                            }
                            if (q.appliedIndex() < lastIndex) {
                                violations.add("applied index went back from " + lastIndex + " to " + q.appliedIndex());
                            }
                            lastIndex = q.appliedIndex();
                            reads.incrementAndGet();
                        }
                    }));
                }
                Thread.sleep(3_000);
                stop.set(true);
                long lastIndex = writer.get(10, TimeUnit.SECONDS);
                for (Future<?> f : readers) {
                    f.get(10, TimeUnit.SECONDS);
                }
                assertThat(lastIndex).isGreaterThan(100);
            } finally {
                stop.set(true);
                pool.shutdownNow();
            }
            assertThat(violations).isEmpty();
            assertThat(reads.get()).isGreaterThan(100);
            assertThat(((QueryResult) store.query(new QueryRequest("SELECT SUM(bal) FROM acct", List.of(), 0)))
                    .data().rows().get(0).get(0).value()).isEqualTo(java.math.BigDecimal.valueOf(TOTAL));
        }
    }
}
