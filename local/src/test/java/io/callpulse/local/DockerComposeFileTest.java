package io.callpulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is validated: docker-compose
 * reads it without error, and every jar it mounts is one this build makes.
 */
class DockerComposeFileTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    @Test
    void composeAcceptsTheFile() throws Exception {
        Process check;
        try {
            check =
                    new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
                            .redirectErrorStream(true)
                            .start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "docker-compose is not installed (.ci/run installs it)");
            return;
        }
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
    }

    @Test
    void everyMountedJarIsOneTheBuildMakes() throws Exception {
        String compose = Files.readString(COMPOSE);
        Matcher jars =
                Pattern.compile("/opt/callpulse/(callpulse-[a-z]+)-([^/\\s\"]+\\.jar)")
                        .matcher(compose);
        List<Path> mounted = new ArrayList<>();
        while (jars.find()) {
            String module = jars.group(1).substring("callpulse-".length());
            mounted.add(Path.of("..", module, "target", jars.group(1) + "-" + jars.group(2)));
        }
        assertThat(mounted).hasSize(2);
        for (Path jar : mounted) {
            assertThat(jar).as("built by mvn package").exists();
        }
    }
}
