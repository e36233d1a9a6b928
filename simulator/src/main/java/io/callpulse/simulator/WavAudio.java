package io.callpulse.simulator;

import io.callpulse.udf.codec.MuLaw;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a WAV file (RIFF, PCM 8-bit unsigned or 16-bit little-endian, or G.711 mu-law; any rate;
 * one or more channels) into 16-bit samples per channel, and converts them to a stream's rate.
 *
 * @param sampleRate the file's rate
 * @param channels one array of samples per channel
 */
public record WavAudio(int sampleRate, short[][] channels) {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_MULAW = 7;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    public static WavAudio read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    /**
     * @throws IllegalArgumentException if the bytes are not a WAV file of a supported format
     */
    public static WavAudio parse(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || in.getInt(0) != 0x46464952 || in.getInt(8) != 0x45564157) {
            throw new IllegalArgumentException("not a RIFF/WAVE file");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int pos = 12;
        while (pos + 8 <= bytes.length) {
            int id = in.getInt(pos);
            int size = in.getInt(pos + 4);
            int body = pos + 8;
            if (size < 0 || body + size > bytes.length) {
                size = bytes.length - body; // a truncated last chunk: read what is there
            }
            if (id == 0x20746d66) { // "fmt "
                format = in.getShort(body) & 0xFFFF;
                channels = in.getShort(body + 2) & 0xFFFF;
                rate = in.getInt(body + 4);
                bits = in.getShort(body + 14) & 0xFFFF;
                if (format == FORMAT_EXTENSIBLE && size >= 26) {
                    format = in.getShort(body + 24) & 0xFFFF; // the sub-format GUID's first bytes
                }
            } else if (id == 0x61746164) { // "data"
                if (format < 0) {
                    throw new IllegalArgumentException("data chunk before fmt chunk");
                }
                return new WavAudio(rate, decode(in, body, size, format, channels, bits));
            }
            pos = body + size + (size & 1); // chunks are padded to even sizes
        }
        throw new IllegalArgumentException("no data chunk");
    }

    private static short[][] decode(
            ByteBuffer in, int offset, int size, int format, int channels, int bits) {
        int bytesPerSample;
        if (format == FORMAT_PCM && (bits == 8 || bits == 16)) {
            bytesPerSample = bits / 8;
        } else if (format == FORMAT_MULAW && bits == 8) {
            bytesPerSample = 1;
        } else {
            throw new IllegalArgumentException(
                    "unsupported WAV format " + format + " with " + bits + " bits per sample");
        }
        if (channels < 1) {
            throw new IllegalArgumentException("no channels");
        }
        int frames = size / (bytesPerSample * channels);
        short[][] out = new short[channels][frames];
        int p = offset;
        for (int i = 0; i < frames; i++) {
            for (int c = 0; c < channels; c++) {
                short sample;
                if (format == FORMAT_MULAW) {
                    sample = MuLaw.decode(in.get(p));
                } else if (bits == 8) {
                    sample = (short) (((in.get(p) & 0xFF) - 128) << 8);
                } else {
                    sample = in.getShort(p);
                }
                out[c][i] = sample;
                p += bytesPerSample;
            }
        }
        return out;
    }

    /** One channel at {@code targetRate} (see {@link Resampler}). */
    public short[] channel(int index, int targetRate) {
        return Resampler.resample(channels[index], sampleRate, targetRate);
    }

    /** All channels averaged into one, at {@code targetRate}. */
    public short[] mono(int targetRate) {
        short[] mixed = new short[channels[0].length];
        for (int i = 0; i < mixed.length; i++) {
            int sum = 0;
            for (short[] channel : channels) {
                sum += channel[i];
            }
            mixed[i] = (short) (sum / channels.length);
        }
        return Resampler.resample(mixed, sampleRate, targetRate);
    }
}
