package io.callpulse.ingest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps its {@code capacity} most recently used keys and forgets the rest, for what the
 * ingest remembers per call or callback. Thread-safe: every method holds the map's lock.
 */
public final class BoundedLruMap<K, V> {

    private final Map<K, V> entries;

    public BoundedLruMap(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: expected > 0, found " + capacity);
        }
        this.entries =
                new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                        return size() > capacity;
                    }
                };
    }

    /** Maps {@code key} to {@code value}; returns the value it replaced, or {@code null}. */
    public synchronized V put(K key, V value) {
        return entries.put(key, value);
    }

    /**
     * Maps {@code key} to {@code value} unless it is mapped already; either way the key becomes the
     * most recently used.
     *
     * @return the value already mapped, or {@code null} when {@code value} was put
     */
    public synchronized V putIfAbsent(K key, V value) {
        V present = entries.get(key);
        return present != null ? present : entries.put(key, value);
    }

    public synchronized int size() {
        return entries.size();
    }
}
