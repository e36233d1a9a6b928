package io.callpulse.bench.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Java Flight Recordings of the job's runs, and what their CPU samples say: the hottest methods
 * (the frame on top of the stack), the callpulse code on whose behalf the time went (the innermost
 * callpulse frame of each sample) and the busiest threads. Only samples taken between a run's first
 * record and its last count; the broker in the same JVM is in them, as it is on the cores.
 */
final class JfrSummary {

    private static final int TOP = 15;

    private final Map<String, Integer> topFrames = new HashMap<>();
    private final Map<String, Integer> callpulseFrames = new HashMap<>();
    private final Map<String, Integer> threads = new HashMap<>();
    private int samples;

    /** One run's recording. */
    final class Recording {
        private final jdk.jfr.Recording recording;
        private final Path file;
        private Instant start = Instant.MAX;
        private Instant end = Instant.MAX;

        private Recording(Path file) throws IOException, ParseException {
            this.file = file;
            this.recording = new jdk.jfr.Recording(Configuration.getConfiguration("profile"));
            recording.setDestination(file);
            recording.start();
        }

        void markStart() {
            start = Instant.now();
        }

        void markEnd() {
            end = Instant.now();
        }

        /** Stops the recording, writes it to its file and adds its samples to the summary. */
        void stop() throws IOException {
            recording.stop();
            recording.close();
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                if (event.getEventType().getName().equals("jdk.ExecutionSample")
                        && !event.getStartTime().isBefore(start)
                        && !event.getStartTime().isAfter(end)) {
                    add(event);
                }
            }
        }
    }

    Recording start(Path file) throws IOException, ParseException {
        return new Recording(file);
    }

    private void add(RecordedEvent sample) {
        if (sample.getStackTrace() == null) {
            return;
        }
        List<RecordedFrame> frames = sample.getStackTrace().getFrames();
        if (frames.isEmpty()) {
            return;
        }
        samples++;
        topFrames.merge(name(frames.get(0)), 1, Integer::sum);
        for (RecordedFrame frame : frames) {
            if (frame.getMethod().getType().getName().startsWith("io.callpulse.")) {
                callpulseFrames.merge(name(frame), 1, Integer::sum);
                break;
            }
        }
        RecordedThread thread = sample.getThread("sampledThread");
        String threadName = thread == null ? "?" : thread.getJavaName();
        // one line per kind of thread, not per instance
        threads.merge(
                threadName == null ? "?" : threadName.replaceAll("\\d+", "N"), 1, Integer::sum);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    void print(String what, PrintStream out) {
        out.printf(Locale.ROOT, "  JFR CPU samples of the %s runs: %d%n", what, samples);
        printTop("hottest methods (top of stack)", topFrames, out);
        printTop("innermost callpulse frame of each sample", callpulseFrames, out);
        printTop("threads", threads, out);
    }

    private void printTop(String title, Map<String, Integer> counts, PrintStream out) {
        out.printf(Locale.ROOT, "    %s:%n", title);
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(TOP)
                .forEach(
                        e ->
                                out.printf(
                                        Locale.ROOT,
                                        "      %5.1f %%  %6d  %s%n",
                                        100.0 * e.getValue() / Math.max(1, samples),
                                        e.getValue(),
                                        e.getKey()));
    }
}
