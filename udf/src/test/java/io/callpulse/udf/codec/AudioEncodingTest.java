package io.callpulse.udf.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AudioEncodingTest {

    @Test
    void readsMimeTypesWithOrWithoutRate() {
        assertThat(AudioEncoding.fromMimeType("audio/x-mulaw")).isEqualTo(AudioEncoding.MULAW);
        assertThat(AudioEncoding.fromMimeType("audio/x-l16;rate=16000"))
                .isEqualTo(AudioEncoding.L16);
        assertThat(AudioEncoding.fromMimeType(" Audio/X-L16 ")).isEqualTo(AudioEncoding.L16);
    }

    @Test
    void refusesOtherEncodingsNamingTheAcceptedOnes() {
        assertThatThrownBy(() -> AudioEncoding.fromMimeType("audio/opus"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "encoding 'audio/opus' is not supported; expected audio/x-mulaw or"
                                + " audio/x-l16");
    }

    @Test
    void decodesBySampleWidth() {
        short[] out = new short[4];
        assertThat(AudioEncoding.MULAW.decode(new byte[] {(byte) 0x80, 0x00}, 0, 2, out, 0))
                .isEqualTo(2);
        assertThat(out).startsWith((short) 32124, (short) -32124);
        assertThat(AudioEncoding.L16.decode(new byte[] {0x10, 0x00, 0x20, 0x00}, 0, 4, out, 0))
                .isEqualTo(2);
        assertThat(out).startsWith((short) 16, (short) 32);
        assertThat(AudioEncoding.L16.sampleCount(640)).isEqualTo(320);
    }
}
