package dev.choreo.loadgen;

import java.util.LinkedHashMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/** Percentiles of one latency histogram (recorded in microseconds), in milliseconds. */
record Latency(long count, double p50, double p95, double p99, double p999, double max, double mean) {

    static final long HIGHEST_MICROS = 3_600_000_000L;

    static Histogram newHistogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    static Latency of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()),
                h.getMean() / 1000.0);
    }

    static void record(Histogram h, long micros) {
        h.recordValue(Math.max(0, Math.min(micros, HIGHEST_MICROS)));
    }

    boolean isEmpty() {
        return count == 0;
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("count", count);
        json.put("p50Ms", round(p50));
        json.put("p95Ms", round(p95));
        json.put("p99Ms", round(p99));
        json.put("p999Ms", round(p999));
        json.put("maxMs", round(max));
        json.put("meanMs", round(mean));
        return json;
    }

    static Object round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 100.0) / 100.0;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
