package dev.eventsource.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns JMH results into a Markdown table with the speed-up of eventsource-java over each baseline
 * measured in the same run. Benchmarks compare implementations through a parameter named
 * {@value #IMPL}: the value {@value #OURS} is ours, every other value is a baseline, and results are
 * paired when the benchmark method and all other parameters match. The speed-up is
 * {@code ours / baseline} for throughput and {@code baseline / ours} for time modes, so above 1 always
 * means ours is faster.
 *
 * <p>On a shared, noisy machine one run is not enough: given several rounds (the same benchmarks run
 * again), the table shows the median score, and the median and range of the per-round speed-ups, each
 * computed from ours and the baseline of the same round.
 *
 * <pre>{@code
 * List<Collection<RunResult>> rounds = List.of(new Runner(options).run(), new Runner(options).run());
 * System.out.println(RatioTable.markdown(rounds));
 * }</pre>
 */
public final class RatioTable {

    /** Name of the parameter that selects the implementation under test. */
    public static final String IMPL = "impl";
    /** The {@value #IMPL} value of eventsource-java. */
    public static final String OURS = "eventsource";

    private RatioTable() {
    }

    /** One Markdown row per benchmark, parameters and implementation, in benchmark order. */
    public static String markdown(List<Collection<RunResult>> rounds) {
        // group key (benchmark, mode, other params) -> impl -> one result per round
        Map<String, Map<String, List<RunResult>>> groups = new TreeMap<>();
        for (Collection<RunResult> round : rounds) {
            for (RunResult r : round) {
                String impl = impl(r.getParams());
                groups.computeIfAbsent(groupKey(r.getParams()), k -> new LinkedHashMap<>())
                        .computeIfAbsent(impl == null ? "-" : impl, k -> new ArrayList<>()).add(r);
            }
        }
        boolean several = rounds.size() > 1;
        StringBuilder out = new StringBuilder(several
                ? "| benchmark | params | impl | median score | score range | unit | ours vs this (median) | range |\n"
                        + "|---|---|---|---:|---:|---|---:|---:|\n"
                : "| benchmark | params | impl | score | error | unit | ours vs this |\n|---|---|---|---:|---:|---|---:|\n");
        for (Map<String, List<RunResult>> group : groups.values()) {
            List<RunResult> ours = group.get(OURS);
            for (Map.Entry<String, List<RunResult>> e : group.entrySet()) {
                List<RunResult> runs = e.getValue();
                BenchmarkParams p = runs.get(0).getParams();
                double[] scores = runs.stream().mapToDouble(r -> r.getPrimaryResult().getScore()).sorted().toArray();
                out.append("| ").append(method(p)).append(" | ").append(otherParams(p)).append(" | ").append(e.getKey())
                        .append(" | ").append(format(median(scores))).append(" | ");
                if (several) {
                    out.append(format(scores[0])).append(" - ").append(format(scores[scores.length - 1]));
                } else {
                    double error = runs.get(0).getPrimaryResult().getScoreError();
                    out.append(Double.isNaN(error) ? "-" : format(error));
                }
                out.append(" | ").append(runs.get(0).getPrimaryResult().getScoreUnit()).append(" | ");
                double[] ratios = ours == null || ours == runs ? new double[0] : ratios(ours, runs);
                if (ratios.length > 0) {
                    out.append(times(median(ratios)));
                    if (several) {
                        out.append(" | ").append(times(ratios[0])).append(" - ").append(times(ratios[ratios.length - 1]));
                    }
                } else if (several) {
                    out.append(" | ");
                }
                out.append(" |\n");
            }
        }
        return out.toString();
    }

    /** Speed-ups per round, sorted; rounds where either side is missing are skipped. */
    private static double[] ratios(List<RunResult> ours, List<RunResult> baseline) {
        int n = Math.min(ours.size(), baseline.size());
        double[] ratios = new double[n];
        for (int i = 0; i < n; i++) {
            double a = ours.get(i).getPrimaryResult().getScore();
            double b = baseline.get(i).getPrimaryResult().getScore();
            ratios[i] = ours.get(i).getParams().getMode().shortLabel().equals("thrpt") ? a / b : b / a;
        }
        Arrays.sort(ratios);
        return ratios;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String groupKey(BenchmarkParams p) {
        return p.getBenchmark() + "|" + p.getMode() + "|" + otherParams(p);
    }

    private static String method(BenchmarkParams p) {
        String[] parts = p.getBenchmark().split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : p.getBenchmark();
    }

    private static String impl(BenchmarkParams p) {
        return p.getParamsKeys().contains(IMPL) ? p.getParam(IMPL) : null;
    }

    private static String otherParams(BenchmarkParams p) {
        Map<String, String> other = new LinkedHashMap<>();
        for (String k : p.getParamsKeys()) {
            if (!IMPL.equals(k)) {
                other.put(k, p.getParam(k));
            }
        }
        return other.isEmpty() ? "-" : other.toString().replaceAll("[{}]", "");
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
