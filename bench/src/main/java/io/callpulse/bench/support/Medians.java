package io.callpulse.bench.support;

import java.util.Arrays;
import java.util.List;

/** The median of repeated measurements: one slow or fast run out of several does not move it. */
public final class Medians {

    private Medians() {}

    /** The middle value; for an even count, the mean of the two middle values. */
    public static double of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("median: expected at least one value, found none");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
