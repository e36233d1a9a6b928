package io.callpulse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.callpulse.udf.codec.MuLaw;
import io.callpulse.udf.level.Levels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavAudioTest {

    /** A WAV file: fmt chunk, an odd-sized LIST chunk to skip (with its pad byte), data. */
    static byte[] wav(int format, int channels, int rate, int bits, byte[] data) {
        byte[] list = {'a', 'b', 'c'};
        ByteBuffer out =
                ByteBuffer.allocate(12 + 24 + 8 + list.length + 1 + 8 + data.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes()).putInt(out.capacity() - 8).put("WAVE".getBytes());
        out.put("fmt ".getBytes()).putInt(16).putShort((short) format).putShort((short) channels);
        out.putInt(rate).putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8));
        out.putShort((short) bits);
        out.put("LIST".getBytes()).putInt(list.length).put(list).put((byte) 0);
        out.put("data".getBytes()).putInt(data.length).put(data);
        return out.array();
    }

    @Test
    void reads16BitStereoPcmAsTwoChannels() {
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 1000)
                .putShort((short) -2000)
                .putShort((short) 32767)
                .putShort((short) -32768);
        WavAudio wav = WavAudio.parse(wav(1, 2, 16000, 16, data.array()));
        assertThat(wav.sampleRate()).isEqualTo(16000);
        assertThat(wav.channels()[0]).containsExactly((short) 1000, (short) 32767);
        assertThat(wav.channels()[1]).containsExactly((short) -2000, (short) -32768);
        assertThat(wav.mono(16000)).containsExactly((short) -500, (short) -0);
    }

    @Test
    void reads8BitUnsignedPcm() {
        WavAudio wav = WavAudio.parse(wav(1, 1, 11025, 8, new byte[] {(byte) 128, (byte) 255, 0}));
        assertThat(wav.channels()[0]).containsExactly((short) 0, (short) 32512, (short) -32768);
    }

    @Test
    void readsMuLaw() {
        byte[] codes = {MuLaw.encode((short) 1000), MuLaw.SILENCE};
        WavAudio wav = WavAudio.parse(wav(7, 1, 8000, 8, codes));
        assertThat(wav.channels()[0]).containsExactly(MuLaw.decode(codes[0]), (short) 0);
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> WavAudio.parse(new byte[] {'R', 'I', 'F', 'F'}))
                .hasMessage("not a RIFF/WAVE file");
        assertThatThrownBy(() -> WavAudio.parse(wav(3, 1, 8000, 32, new byte[8])))
                .hasMessage("unsupported WAV format 3 with 32 bits per sample");
    }

    @Test
    void aToneSurvivesTheTripFromAFileAt44100ToTheStreamsRate(@TempDir Path dir)
            throws IOException {
        short[] tone = SyntheticAudio.at(44100).tone(400, -20, 1000).build();
        ByteBuffer data = ByteBuffer.allocate(tone.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : tone) {
            data.putShort(s);
        }
        Path file = dir.resolve("tone.wav");
        Files.write(file, wav(1, 1, 44100, 16, data.array()));
        short[] at8k = WavAudio.read(file).channel(0, 8000);
        assertThat(at8k).hasSize(8000);
        // a 400 Hz tone is far below both Nyquist rates: the level is kept within 0.1 dB (the box
        // of 6 samples takes 0.04 dB)
        assertThat(Levels.rmsDbfs(at8k, 0, 8000)).isCloseTo(-20.0, within(0.1));
    }

    @Test
    void upsamplingInterpolatesLinearly() {
        assertThat(Resampler.resample(new short[] {0, 100, 200, -200}, 8000, 16000))
                .containsExactly(
                        (short) 0,
                        (short) 50,
                        (short) 100,
                        (short) 150,
                        (short) 200,
                        (short) 0,
                        (short) -200,
                        (short) -200);
    }

    @Test
    void downsamplingAveragesTheSamplesEachOutputSampleCovers() {
        // by 2: a box of two samples (the sample and the next), then every other one
        assertThat(Resampler.resample(new short[] {0, 100, 200, 300, 400, 500}, 16000, 8000))
                .containsExactly((short) 50, (short) 250, (short) 450);
        // a 4 kHz tone at 16 kHz (+a, 0, -a, 0) is at the new Nyquist rate: the box removes it
        assertThat(Resampler.resample(new short[] {1000, 0, -1000, 0, 1000, 0}, 16000, 8000))
                .containsExactly((short) 500, (short) -500, (short) 500);
        assertThat(Resampler.resample(new short[] {7, 8}, 8000, 8000))
                .containsExactly((short) 7, (short) 8);
    }
}
