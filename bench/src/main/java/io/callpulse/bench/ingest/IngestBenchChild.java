package io.callpulse.bench.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A process of a benchmark (the broker, the ingest, the bare sink) in its own JVM, on this JVM's
 * class path, so that each side's CPU and heap are its own.
 *
 * <p>The parent speaks to it over its standard input, one command a line; the child answers on its
 * standard output with a line {@code @<command> <answer>}. Every other line it prints (its logs)
 * goes to a log file. When the parent goes away its standard input ends and the child stops, so no
 * benchmark leaves processes behind.
 */
final class IngestBenchChild implements AutoCloseable {

    /** Prefix of the answer lines, so that they stand out from the child's logs. */
    static final String ANSWER = "@";

    private final String name;
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Path log;

    private IngestBenchChild(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.commands =
                new PrintWriter(
                        new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8),
                        true);
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            process.getInputStream(),
                                                            StandardCharsets.UTF_8));
                                    PrintStream logOut =
                                            new PrintStream(
                                                    Files.newOutputStream(
                                                            log,
                                                            java.nio.file.StandardOpenOption.CREATE,
                                                            java.nio.file.StandardOpenOption
                                                                    .APPEND),
                                                    true,
                                                    StandardCharsets.UTF_8)) {
                                for (String line = in.readLine();
                                        line != null;
                                        line = in.readLine()) {
                                    if (line.startsWith(ANSWER)) {
                                        answers.add(line);
                                    } else {
                                        logOut.println(line);
                                    }
                                }
                            } catch (IOException e) {
                                answers.add(ANSWER + "error " + e);
                            }
                        },
                        name + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code mainClass} in a new JVM and waits for its {@code @ready} line.
     *
     * @param jvmOptions e.g. {@code -Xmx1g}
     * @param logDir where its log goes, as {@code <name>.log}
     */
    static IngestBenchChild start(
            String name,
            Class<?> mainClass,
            List<String> jvmOptions,
            List<String> args,
            Path logDir,
            Duration readyTimeout)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Files.deleteIfExists(log);
        Process process =
                new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        IngestBenchChild child = new IngestBenchChild(name, process, log);
        try {
            child.await("ready", readyTimeout);
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
        return child;
    }

    /** The answer of the {@code @ready} line: what the child says about itself, e.g. its ports. */
    private String ready;

    String readyAnswer() {
        return ready;
    }

    long pid() {
        return process.pid();
    }

    String name() {
        return name;
    }

    /** The child's CPU time so far (user and system, all its threads). */
    Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Sends a command and returns its answer (the text after {@code @<command> }). */
    String request(String command, Duration timeout) {
        commands.println(command);
        return await(command, timeout);
    }

    private String await(String command, Duration timeout) {
        String prefix = ANSWER + command;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line;
            try {
                line = left <= 0 ? null : answers.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
            if (line == null) {
                throw new IllegalStateException(
                        name
                                + " did not answer '"
                                + command
                                + "' within "
                                + timeout.toSeconds()
                                + " s"
                                + (process.isAlive() ? "" : " (it exited)")
                                + "; see "
                                + log);
            }
            if (line.equals(prefix) || line.startsWith(prefix + " ")) {
                String answer = line.substring(prefix.length()).trim();
                if (command.equals("ready")) {
                    ready = answer;
                }
                return answer;
            }
            if (line.startsWith(ANSWER + "error")) {
                throw new IllegalStateException(name + " failed: " + line + "; see " + log);
            }
        }
    }

    /** Ends its standard input, which stops it; kills it when it has not stopped in 30 s. */
    @Override
    public void close() {
        commands.close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    // ---- the child's side ----

    /**
     * In the child: prints {@code @ready <readyAnswer>}, then answers commands from standard input
     * until it ends. {@code heap} is always known: the heap in use after a full collection.
     */
    static void serve(String readyAnswer, Map<String, Supplier<String>> commands) {
        PrintStream out = System.out;
        out.println(ANSWER + "ready " + readyAnswer);
        out.flush();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String command = line.trim();
                String answer;
                try {
                    Supplier<String> handler =
                            command.equals("heap")
                                    ? IngestBenchChild::heapAfterFullGc
                                    : commands.get(command);
                    answer = handler == null ? "unknown command " + command : handler.get();
                } catch (RuntimeException e) {
                    answer = "failed " + e;
                }
                out.println(ANSWER + command + " " + answer);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Heap bytes in use after two full collections (System.gc() is a full, stop-the-world
     * collection under G1 unless told otherwise; the second catches what the first freed only for
     * finalisation and references).
     */
    static String heapAfterFullGc() {
        System.gc();
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed() + " " + heap.getCommitted();
    }
}
