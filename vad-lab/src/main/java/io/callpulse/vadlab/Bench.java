package io.callpulse.vadlab;

import io.callpulse.udf.vad.AdaptiveEnergyVad;
import io.callpulse.udf.vad.Hangover;
import io.callpulse.udf.vad.LearnedVad;
import io.callpulse.udf.vad.VadModel;
import io.callpulse.udf.vad.VoiceActivityDetector;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a detector over a generated set and scores it: writes {@code RES/<system>/<id>.pcm8k.tsv}
 * for every file, appends a line to {@code RES/timing.log}, then runs the devset scorer when its
 * path is given.
 *
 * <pre>
 * bench --data DIR --res RESDIR [--detector learned|energy] [--system NAME] [--weights FILE]
 *       [--scorer PATH/score.py] [--python python3] [--rate 8000|16000] [--gain-db 0]
 * </pre>
 *
 * With {@code --rate 16000} it reads the generator's {@code <id>.pcm16k.wav} files (written with
 * {@code gen_devset.py --pcm16k}) and decides 20 ms frames of 320 samples.
 */
public final class Bench {

    private Bench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Train.Args.parse(args);
        Path data = Path.of(Train.Args.required(a, "data"));
        Path res = Path.of(Train.Args.required(a, "res"));
        String kind = a.getOrDefault("detector", "learned");
        VoiceActivityDetector detector;
        if (kind.equals("learned")) {
            if (a.containsKey("weights")) {
                try (Reader r = Files.newBufferedReader(Path.of(a.get("weights")))) {
                    detector = new LearnedVad(VadModel.read(r));
                }
            } else {
                detector = new LearnedVad();
            }
        } else if (kind.equals("energy")) {
            detector = new Hangover(new AdaptiveEnergyVad(), Hangover.DEFAULT_FRAMES);
        } else {
            throw new IllegalArgumentException(
                    "--detector: expected learned or energy, found " + kind);
        }
        String system = a.getOrDefault("system", kind);
        Path out = res.resolve(system);
        Files.createDirectories(out);

        List<Corpus.Item> items = Corpus.items(data, true);
        int rate = Integer.parseInt(a.getOrDefault("rate", "8000"));
        int frame = rate / 50;
        double gainDb = Double.parseDouble(a.getOrDefault("gain-db", "0"));
        // warm up the JIT on the first file, untimed
        short[] first = read(items.get(0), rate).samples();
        for (int i = 0; i < 3; i++) {
            run(detector, first, rate, new boolean[first.length], new float[first.length]);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = 0;
        long frames = 0;
        double audio = 0;
        for (Corpus.Item item : items) {
            short[] samples = gain(read(item, rate).samples(), gainDb);
            int n = samples.length / frame;
            boolean[] speech = new boolean[n];
            float[] prob = new float[n];
            long c0 = threads.getCurrentThreadCpuTime();
            run(detector, samples, rate, speech, prob);
            cpu += threads.getCurrentThreadCpuTime() - c0;
            frames += n;
            audio += samples.length / (double) rate;
            try (BufferedWriter w =
                    Files.newBufferedWriter(
                            out.resolve(item.id() + ".pcm8k.tsv"), StandardCharsets.UTF_8)) {
                w.write(
                        detector instanceof LearnedVad
                                ? "#frame\tstart_ms\tprob\tspeech\n"
                                : "#frame\tstart_ms\tspeech\n");
                boolean learned = detector instanceof LearnedVad;
                for (int f = 0; f < n; f++) {
                    w.write(
                            learned
                                    ? String.format(
                                            Locale.ROOT,
                                            "%d\t%d\t%.4f\t%d%n",
                                            f,
                                            f * 20,
                                            prob[f],
                                            speech[f] ? 1 : 0)
                                    : String.format(
                                            Locale.ROOT,
                                            "%d\t%d\t%d%n",
                                            f,
                                            f * 20,
                                            speech[f] ? 1 : 0));
                }
            }
        }
        double us = cpu / 1e3 / frames;
        String timing =
                String.format(
                        Locale.ROOT,
                        "%s frame_ms=20 rate=%d audio_s=%.0f cpu_s=%.3f rtf_cpu=%.6f"
                                + " us_per_frame=%.2f%n",
                        system.replace('/', '-'),
                        rate,
                        audio,
                        cpu / 1e9,
                        cpu / 1e9 / audio,
                        us);
        Files.writeString(
                res.resolve("timing.log"),
                timing,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        System.out.print(
                String.format(
                        Locale.ROOT,
                        "%s: %d files, %d frames, %.2f us per 20 ms frame (thread CPU)%n",
                        system,
                        items.size(),
                        frames,
                        us));
        if (a.containsKey("scorer")) {
            Process p =
                    new ProcessBuilder(
                                    a.getOrDefault("python", "python3"),
                                    a.get("scorer"),
                                    "--eval",
                                    data.toString(),
                                    "--res",
                                    res.toString())
                            .inheritIO()
                            .start();
            int code = p.waitFor();
            if (code != 0) {
                throw new IOException("scorer exited with " + code);
            }
        }
    }

    /** The samples scaled by gainDb, clipped to 16 bits (a robustness check on levels). */
    static short[] gain(short[] samples, double gainDb) {
        if (gainDb == 0) {
            return samples;
        }
        double g = Math.pow(10, gainDb / 20);
        short[] out = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(samples[i] * g)));
        }
        return out;
    }

    static Wav read(Corpus.Item item, int rate) throws IOException {
        Path path =
                rate == 8000
                        ? item.wav()
                        : item.wav().resolveSibling(item.id() + ".pcm" + rate / 1000 + "k.wav");
        Wav wav = Wav.read(path);
        if (wav.rate() != rate) {
            throw new IOException(path + ": expected " + rate + " Hz, found " + wav.rate());
        }
        return wav;
    }

    /** Decides every 20 ms frame into speech, and the smoothed probability into prob. */
    static void run(
            VoiceActivityDetector detector,
            short[] samples,
            int rate,
            boolean[] speech,
            float[] prob) {
        float[] state = detector.newState();
        int frame = rate / 50;
        int frames = samples.length / frame;
        boolean learned = detector instanceof LearnedVad;
        for (int f = 0; f < frames; f++) {
            speech[f] = detector.isSpeech(state, samples, f * frame, frame, rate);
            if (learned) {
                prob[f] = LearnedVad.smoothedProbability(state);
            }
        }
    }
}
