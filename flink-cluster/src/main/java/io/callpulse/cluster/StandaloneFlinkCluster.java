package io.callpulse.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A real standalone Flink session cluster without the distribution tarball: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and a TaskManager ({@code TaskManagerRunner}) as separate
 * JVMs on loopback, on a classpath of Flink's Maven artifacts, taking jars over the REST API as any
 * cluster does. For tests that prove the job jar runs where users run it.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

    /** What Flink's own scripts open up for JDK 17; REST submission fails without them. */
    private static final List<String> JDK_OPENS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final String UTIL_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();
    private final URI rest;

    private StandaloneFlinkCluster(URI rest) {
        this.rest = rest;
    }

    /**
     * Starts both JVMs and returns once the TaskManager has registered.
     *
     * @param classpath the cluster's classpath (Flink's runtime artifacts and logging)
     * @param dir a directory for the configuration, logs and uploads
     */
    public static StandaloneFlinkCluster start(String classpath, Path dir, int taskSlots)
            throws IOException, InterruptedException {
        int restPort = freePort();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(
                conf.resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: 127.0.0.1",
                        "jobmanager.rpc.port: " + freePort(),
                        "jobmanager.bind-host: 127.0.0.1",
                        "taskmanager.bind-host: 127.0.0.1",
                        "taskmanager.host: 127.0.0.1",
                        "rest.address: 127.0.0.1",
                        "rest.bind-address: 127.0.0.1",
                        "rest.port: " + restPort,
                        "jobmanager.memory.process.size: 768m",
                        "taskmanager.memory.process.size: 1280m",
                        "taskmanager.numberOfTaskSlots: " + taskSlots,
                        "parallelism.default: 1",
                        "web.upload.dir: " + Files.createDirectories(dir.resolve("upload")),
                        ""));
        StandaloneFlinkCluster cluster =
                new StandaloneFlinkCluster(URI.create("http://127.0.0.1:" + restPort));
        try {
            cluster.launch(
                    classpath,
                    dir,
                    "jobmanager",
                    List.of("-Xmx512m"),
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    List.of("--configDir", conf.toString(), "--executionMode", "cluster"));
            String[] resources = taskManagerResources(classpath, conf);
            List<String> arguments = new ArrayList<>(List.of("--configDir", conf.toString()));
            arguments.addAll(Arrays.asList(resources[1].trim().split("\\s+")));
            cluster.launch(
                    classpath,
                    dir,
                    "taskmanager",
                    Arrays.asList(resources[0].trim().split("\\s+")),
                    "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    arguments);
            cluster.awaitTaskManagers(1, Duration.ofSeconds(90));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The REST endpoint, such as {@code http://127.0.0.1:8081}. */
    public URI rest() {
        return rest;
    }

    /** Uploads the jar and runs its main class with {@code args}; returns the job id. */
    public String submit(Path jar, List<String> args) throws IOException, InterruptedException {
        String boundary = "callpulse-" + UUID.randomUUID();
        byte[] head =
                ("--"
                                + boundary
                                + "\r\n"
                                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> uploaded =
                http.send(
                        HttpRequest.newBuilder(rest.resolve("/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(
                                        HttpRequest.BodyPublishers.concat(
                                                HttpRequest.BodyPublishers.ofByteArray(head),
                                                HttpRequest.BodyPublishers.ofFile(jar),
                                                HttpRequest.BodyPublishers.ofByteArray(tail)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        String filename = field(uploaded, "filename");
        String jarId = filename.substring(filename.lastIndexOf('/') + 1);
        String body = json.writeValueAsString(java.util.Map.of("programArgsList", args));
        HttpResponse<String> run =
                http.send(
                        HttpRequest.newBuilder(rest.resolve("/jars/" + jarId + "/run"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return field(run, "jobid");
    }

    /** The job's state as the cluster reports it ({@code RUNNING}, {@code FAILED}, ...). */
    public String jobState(String jobId) throws IOException, InterruptedException {
        return field(get("/jobs/" + jobId), "state");
    }

    /** Why the job failed, when it did (the root exception), else an empty string. */
    public String jobExceptions(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/exceptions").body();
    }

    /** Stops both JVMs. */
    @Override
    public void close() {
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        for (Process process : processes) {
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void launch(
            String classpath,
            Path dir,
            String name,
            List<String> jvmOptions,
            String mainClass,
            List<String> arguments)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JDK_OPENS);
        command.addAll(jvmOptions);
        command.add("-Dlog.file=" + dir.resolve(name + ".log"));
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(arguments);
        processes.add(
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(name + ".out").toFile())
                        .start());
    }

    /** The TaskManager's JVM options and dynamic settings, computed as Flink's scripts do. */
    private static String[] taskManagerResources(String classpath, Path conf)
            throws IOException, InterruptedException {
        Process utils =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                classpath,
                                "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                "GET_TM_RESOURCE_PARAMS",
                                "--configDir",
                                conf.toString())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(utils.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        utils.waitFor();
        List<String> results = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith(UTIL_RESULT)) {
                results.add(line.substring(UTIL_RESULT.length()));
            }
        }
        if (results.size() < 2) {
            throw new IllegalStateException(
                    "BashJavaUtils GET_TM_RESOURCE_PARAMS: expected JVM options and dynamic"
                            + " settings, found: "
                            + output);
        }
        return new String[] {results.get(results.size() - 2), results.get(results.size() - 1)};
    }

    private void awaitTaskManagers(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "a cluster JVM exited with " + process.exitValue());
                }
            }
            try {
                JsonNode overview = json.readTree(get("/overview").body());
                if (overview.path("taskmanagers").asInt() >= count) {
                    return;
                }
            } catch (IOException notUpYet) {
                // the REST endpoint is not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "no TaskManager registered within " + timeout.toSeconds() + " s at " + rest);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String field(HttpResponse<String> response, String name) throws IOException {
        JsonNode node = json.readTree(response.body()).path(name);
        if (response.statusCode() / 100 != 2 || node.isMissingNode()) {
            throw new IllegalStateException(
                    "Flink REST answered "
                            + response.statusCode()
                            + " without "
                            + name
                            + ": "
                            + response.body());
        }
        return node.asText();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
