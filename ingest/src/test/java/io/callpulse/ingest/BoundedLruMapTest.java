package io.callpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedLruMapTest {

    private final BoundedLruMap<String, Integer> map = new BoundedLruMap<>(2);

    @Test
    void theLeastRecentlyUsedKeyIsForgottenBeyondCapacity() {
        map.put("a", 1);
        map.put("b", 2);
        // a is used again, so b is now the eldest
        assertThat(map.putIfAbsent("a", 9)).isEqualTo(1);

        assertThat(map.put("c", 3)).isNull();

        assertThat(map.size()).isEqualTo(2);
        assertThat(map.putIfAbsent("b", 20)).isNull();
        assertThat(map.putIfAbsent("a", 10)).isNull();
        assertThat(map.putIfAbsent("b", 21)).isEqualTo(20);
    }

    @Test
    void putReturnsTheReplacedValue() {
        assertThat(map.put("a", 1)).isNull();
        assertThat(map.put("a", 2)).isEqualTo(1);
        assertThat(map.putIfAbsent("a", 3)).isEqualTo(2);
    }
}
