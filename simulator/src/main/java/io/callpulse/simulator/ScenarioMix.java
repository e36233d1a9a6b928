package io.callpulse.simulator;

import java.util.EnumMap;
import java.util.Map;

/**
 * Scenarios in given percentages, dealt out by smooth weighted round robin: each call goes to the
 * scenario furthest behind its share, so every 100 calls hold exactly the percentages and the rare
 * scenarios are spread out rather than bunched at the end. Not thread-safe.
 */
public final class ScenarioMix {

    private final EnumMap<Scenario, Integer> weights;
    private final EnumMap<Scenario, Integer> current = new EnumMap<>(Scenario.class);

    public ScenarioMix(Map<Scenario, Integer> percentages) {
        int total = percentages.values().stream().mapToInt(Integer::intValue).sum();
        if (total != 100) {
            throw new IllegalArgumentException(
                    "scenario percentages must add up to 100, not " + total);
        }
        percentages.forEach(
                (s, w) -> {
                    if (w < 0) {
                        throw new IllegalArgumentException(
                                "negative percentage for " + s.cliName());
                    }
                });
        this.weights = new EnumMap<>(percentages);
        weights.keySet().forEach(s -> current.put(s, 0));
    }

    /** Parses {@code normal=70,dropped=30}; a lone name means 100 % of it. */
    public static ScenarioMix parse(String text) {
        EnumMap<Scenario, Integer> percentages = new EnumMap<>(Scenario.class);
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            Scenario scenario = Scenario.fromCliName(eq < 0 ? part : part.substring(0, eq));
            int percent;
            try {
                percent = eq < 0 ? 100 : Integer.parseInt(part.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole percentage: " + part);
            }
            percentages.merge(scenario, percent, Integer::sum);
        }
        return new ScenarioMix(percentages);
    }

    public Map<Scenario, Integer> percentages() {
        return Map.copyOf(weights);
    }

    public Scenario next() {
        Scenario best = null;
        for (var entry : weights.entrySet()) {
            Scenario s = entry.getKey();
            int value = current.get(s) + entry.getValue();
            current.put(s, value);
            if (best == null || value > current.get(best)) {
                best = s;
            }
        }
        current.put(best, current.get(best) - 100);
        return best;
    }
}
