package io.callpulse.vadlab;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** A 16-bit linear PCM mono WAV file. */
record Wav(int rate, short[] samples) {

    static Wav read(Path path) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(path + ": not a RIFF/WAVE file");
        }
        int pos = 12;
        int rate = 0;
        int channels = 0;
        int bits = 0;
        int format = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
            } else if (id == 0x61746164) { // "data"
                if (format != 1 || channels != 1 || bits != 16) {
                    throw new IOException(
                            path
                                    + ": expected 16-bit linear PCM mono, found format "
                                    + format
                                    + ", "
                                    + channels
                                    + " channels, "
                                    + bits
                                    + " bits");
                }
                int n = Math.min(size, b.limit() - body) / 2;
                short[] samples = new short[n];
                for (int i = 0; i < n; i++) {
                    samples[i] = b.getShort(body + 2 * i);
                }
                return new Wav(rate, samples);
            }
            pos = body + size + (size & 1);
        }
        throw new IOException(path + ": no data chunk");
    }
}
