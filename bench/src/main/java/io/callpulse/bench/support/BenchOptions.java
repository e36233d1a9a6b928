package io.callpulse.bench.support;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command line of a benchmark: {@code --name value} or {@code --name=value}, and flags; each
 * benchmark says which names it knows, and an unknown one is an error that names it. What follows a
 * lone {@code --} is left for {@link #passedOn} (arguments for what the benchmark runs).
 */
public final class BenchOptions {

    private final Map<String, String> values = new HashMap<>();
    private List<String> passedOn = List.of();

    private BenchOptions() {}

    /**
     * @param valued the options that take a value, without their dashes
     * @param flags the options that do not
     */
    public static BenchOptions parse(String[] args, Set<String> valued, Set<String> flags) {
        BenchOptions options = new BenchOptions();
        Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String arg = rest.poll();
            if (arg.equals("--")) {
                options.passedOn = List.copyOf(rest);
                break;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected an option (--name), found " + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                options.values.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (rest.isEmpty()) {
                        throw new IllegalArgumentException("--" + name + " needs a value");
                    }
                    value = rest.poll();
                }
                options.values.put(name, value);
            } else {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        return options;
    }

    /**
     * For a benchmark's {@code main}: {@code --help} prints {@code help} and ends the JVM. A bad
     * option throws, as from {@link #parse}; {@code BenchMain} says it in one line.
     */
    public static BenchOptions parseOrHelp(
            String[] args, Set<String> valued, Set<String> flags, String help) {
        BenchOptions options = parse(args, valued, flags);
        if (options.flag("help")) {
            System.out.print(help);
            System.exit(0);
        }
        return options;
    }

    /** What followed a lone {@code --}, as given. */
    public List<String> passedOn() {
        return passedOn;
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int positiveInt(String name, int fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--" + name + ": expected a positive number, found " + value);
    }

    /** A list of positive numbers, e.g. 250,500,1000. */
    public List<Integer> positiveInts(String name, List<Integer> fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            List<Integer> list =
                    Arrays.stream(value.split(","))
                            .map(String::trim)
                            .map(Integer::parseInt)
                            .toList();
            if (!list.isEmpty() && list.stream().allMatch(n -> n > 0)) {
                return list;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--" + name + ": expected positive numbers separated by commas, found " + value);
    }

    /** A duration such as 500ms, 20s, 10m, or a bare number of seconds. */
    public Duration duration(String name, Duration fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        String t = value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d =
                        Duration.ofMillis(
                                Math.round(
                                        Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d =
                        Duration.ofMillis(
                                Math.round(
                                        Double.parseDouble(t.substring(0, t.length() - 1))
                                                * 60_000));
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--" + name + ": expected a positive duration (500ms, 20s, 10m), found " + value);
    }
}
