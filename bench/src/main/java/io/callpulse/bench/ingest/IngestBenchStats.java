package io.callpulse.bench.ingest;

import java.util.Arrays;
import java.util.List;

/** The few statistics the ingest benchmarks print. */
final class IngestBenchStats {

    private IngestBenchStats() {}

    /** The median; of an even count, the mean of the two middle values. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The least-squares slope of y over x. */
    static double slope(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("slope: needs two or more (x, y) pairs");
        }
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        if (sxx == 0) {
            throw new IllegalArgumentException("slope: all x are equal");
        }
        return sxy / sxx;
    }

    /**
     * The standard error of the least-squares slope of y over x: how far the slope may be off given
     * the scatter of the points about the line.
     */
    static double slopeStandardError(double[] x, double[] y) {
        if (x.length != y.length || x.length < 3) {
            throw new IllegalArgumentException("slope error: needs three or more (x, y) pairs");
        }
        double slope = slope(x, y);
        double mx = Arrays.stream(x).average().orElseThrow();
        double my = Arrays.stream(y).average().orElseThrow();
        double residuals = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            double r = y[i] - (my + slope * (x[i] - mx));
            residuals += r * r;
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return Math.sqrt(residuals / (x.length - 2) / sxx);
    }

    /** The one-minute load average, from /proc/loadavg where there is one. */
    static String loadAverage() {
        try {
            String[] fields =
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                            .trim()
                            .split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
