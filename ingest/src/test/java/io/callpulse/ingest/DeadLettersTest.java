package io.callpulse.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.callpulse.records.DeadLetter;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void rawUpToTheLimitIsKeptWhole() {
        String raw = "x".repeat(DeadLetters.MAX_RAW_BYTES);

        DeadLetter letter = DeadLetters.of("message: bad", "s-1", 5, raw);

        assertThat(letter).isEqualTo(new DeadLetter("ingest", "message: bad", "s-1", 5, raw));
    }

    @Test
    void rawOverTheLimitIsTruncatedAndTheReasonSaysSo() {
        String raw = "x".repeat(300 * 1024);

        DeadLetter letter = DeadLetters.of("message: bad", null, 5, raw);

        assertThat(letter.reason())
                .isEqualTo("message: bad; raw truncated to 262144 of 307200 bytes");
        assertThat(letter.raw()).isEqualTo(raw.substring(0, 262_144));
    }

    @Test
    void truncationCountsUtf8BytesAndNeverSplitsACharacter() {
        // 3 bytes each: 87,381 fit in 262,143 bytes, the next would need 262,146
        String raw = "€".repeat(100_000);

        DeadLetter letter = DeadLetters.of("message: bad", null, 5, raw);

        assertThat(letter.reason())
                .isEqualTo("message: bad; raw truncated to 262143 of 300000 bytes");
        assertThat(letter.raw()).isEqualTo("€".repeat(87_381));
    }

    @Test
    void utf8LengthCountsEachCharacterByItsEncoding() {
        assertThat(Utf8.length("aé€😀")).isEqualTo(1 + 2 + 3 + 4);
        assertThat(Utf8.charsWithin("a😀b", 4)).isEqualTo(1);
        assertThat(Utf8.charsWithin("a😀b", 5)).isEqualTo(3);
    }
}
