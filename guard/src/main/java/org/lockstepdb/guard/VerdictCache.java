package org.lockstepdb.guard;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded LRU of plans keyed by (mode, exact text): 16 independently locked access-ordered segments, so a
 * hit costs one hash of the text and one short critical section. The bound is per segment
 * ({@code capacity / 16}), so the total never exceeds {@code capacity}.
 */
final class VerdictCache {
    private static final int SEGMENTS = 16;

    record Key(Analyzer.Mode mode, String sql) { }

    private final Segment[] segments = new Segment[SEGMENTS];

    VerdictCache(int capacity) {
        int perSegment = Math.max(1, capacity / SEGMENTS);
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment(perSegment);
        }
    }

    Plan get(Key key) {
        Segment s = segment(key);
        synchronized (s) {
            return s.get(key);
        }
    }

    void put(Key key, Plan plan) {
        Segment s = segment(key);
        synchronized (s) {
            s.put(key, plan);
        }
    }

    int size() {
        int total = 0;
        for (Segment s : segments) {
            synchronized (s) {
                total += s.size();
            }
        }
        return total;
    }

    private Segment segment(Key key) {
        int h = key.hashCode();
        return segments[(h ^ (h >>> 16)) & (SEGMENTS - 1)];
    }

    private static final class Segment extends LinkedHashMap<Key, Plan> {
        private final int capacity;

        Segment(int capacity) {
            super(Math.min(capacity, 1024) * 2, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Plan> eldest) {
            return size() > capacity;
        }
    }
}
