package io.callpulse.udf.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MuLawTest {

    /**
     * G.711 (Table 2a): after inverting the bits of a code, bit 7 is the sign (1 = negative), bits
     * 6-4 the segment e and bits 3-0 the step m; the decoder output in 14-bit units is (2m + 33) *
     * 2^e - 33. Our samples are 16-bit, that value times four.
     */
    private static int itu16BitValue(int code) {
        int inverted = ~code & 0xFF;
        int segment = (inverted >> 4) & 0x7;
        int step = inverted & 0xF;
        int magnitude14 = (2 * step + 33) * (1 << segment) - 33;
        return ((inverted & 0x80) != 0 ? -magnitude14 : magnitude14) * 4;
    }

    @Test
    void everyCodeDecodesToTheG711Value() {
        for (int code = 0; code < 256; code++) {
            assertThat(MuLaw.decode((byte) code))
                    .as("code 0x%02X", code)
                    .isEqualTo((short) itu16BitValue(code));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "0x00, -32124", // loudest negative
        "0x80, 32124", // loudest positive
        "0xFF, 0", // +0, digital silence
        "0x7F, 0", // -0
        "0xFE, 8", // smallest positive step
        "0x7E, -8",
        "0xF0, 120", // end of segment 0
        "0xE0, 372", // end of segment 1
        "0xEF, 132" // start of segment 1
    })
    void decodesTheTableAnchors(String code, int expected) {
        assertThat(MuLaw.decode((byte) Integer.parseInt(code.substring(2), 16)))
                .isEqualTo((short) expected);
    }

    @Test
    void encodingADecodedValueGivesBackItsCode() {
        for (int code = 0; code < 256; code++) {
            if (code == 0x7F) {
                continue; // -0 and +0 both decode to 0, which encodes as +0
            }
            assertThat(MuLaw.encode(MuLaw.decode((byte) code)) & 0xFF)
                    .as("code 0x%02X", code)
                    .isEqualTo(code);
        }
        assertThat(MuLaw.encode((short) 0)).isEqualTo(MuLaw.SILENCE);
    }

    @Test
    void encodingClipsBeyondTheLoudestCode() {
        assertThat(MuLaw.encode(Short.MAX_VALUE) & 0xFF).isEqualTo(0x80);
        assertThat(MuLaw.encode(Short.MIN_VALUE) & 0xFF).isEqualTo(0x00);
    }

    @Test
    void decodesAnArrayRangeInPlace() {
        byte[] codes = {(byte) 0xFF, (byte) 0x80, (byte) 0x00, (byte) 0xFE};
        short[] out = new short[5];
        MuLaw.decode(codes, 1, 3, out, 2);
        assertThat(out).containsExactly(0, 0, 32124, -32124, 8);
    }
}
