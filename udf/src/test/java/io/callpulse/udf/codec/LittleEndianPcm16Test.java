package io.callpulse.udf.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LittleEndianPcm16Test {

    @Test
    void decodesLittleEndianSignedSamples() {
        byte[] bytes = {0x01, 0x00, (byte) 0xFF, (byte) 0xFF, 0x00, (byte) 0x80, (byte) 0xFF, 0x7F};
        short[] out = new short[4];
        LittleEndianPcm16.decode(bytes, 0, bytes.length, out, 0);
        assertThat(out).containsExactly(1, -1, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    @Test
    void encodeThenDecodeGivesTheSamplesBack() {
        short[] samples = {0, 1, -1, 12345, -12345, Short.MAX_VALUE, Short.MIN_VALUE};
        byte[] bytes = new byte[samples.length * 2];
        LittleEndianPcm16.encode(samples, 0, samples.length, bytes, 0);
        assertThat(bytes[6]).isEqualTo((byte) 0x39); // 12345 = 0x3039, low byte first
        assertThat(bytes[7]).isEqualTo((byte) 0x30);
        short[] back = new short[samples.length];
        LittleEndianPcm16.decode(bytes, 0, bytes.length, back, 0);
        assertThat(back).containsExactly(samples);
    }
}
