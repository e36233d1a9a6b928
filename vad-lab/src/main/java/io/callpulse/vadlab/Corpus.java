package io.callpulse.vadlab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A set written by the devset generator: {@code vad/<id>.pcm8k.wav} and {@code
 * calls/<id>.pcm8k.wav}, each with {@code <id>.labels.tsv} (10 ms frames; the third column is the
 * scored label).
 */
final class Corpus {

    /** One file of a set. */
    record Item(String id, String folder, Path wav, Path labels) {

        /** The SNR group as the scorer names it: clean, 20, 10, 5, 0; calls are "call". */
        String snrGroup() {
            if (folder.equals("calls")) {
                return "call";
            }
            int cut = id.lastIndexOf('_');
            String snr = id.substring(cut + 1);
            return snr.equals("inf") ? "clean" : snr;
        }

        String noise() {
            if (folder.equals("calls")) {
                return "call";
            }
            String[] parts = id.split("_");
            return parts[1];
        }
    }

    private Corpus() {}

    static List<Item> items(Path dir, boolean withCalls) throws IOException {
        List<Item> items = new ArrayList<>();
        for (String folder : withCalls ? List.of("vad", "calls") : List.of("vad")) {
            Path sub = dir.resolve(folder);
            if (!Files.isDirectory(sub)) {
                continue;
            }
            try (Stream<Path> files = Files.list(sub)) {
                files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".pcm8k.wav"))
                        .sorted()
                        .forEach(
                                n -> {
                                    String id = n.substring(0, n.length() - ".pcm8k.wav".length());
                                    items.add(
                                            new Item(
                                                    id,
                                                    folder,
                                                    sub.resolve(n),
                                                    sub.resolve(id + ".labels.tsv")));
                                });
            }
        }
        if (items.isEmpty()) {
            throw new IOException(dir + ": no vad/*.pcm8k.wav or calls/*.pcm8k.wav files");
        }
        return items;
    }

    /** The scored labels (third column) of 10 ms frames. */
    static boolean[] labels(Path path) throws IOException {
        List<String> lines = Files.readAllLines(path);
        boolean[] out = new boolean[lines.size()];
        int n = 0;
        for (String line : lines) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] cols = line.trim().split("\\s+");
            out[n++] = Integer.parseInt(cols[2]) != 0;
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
