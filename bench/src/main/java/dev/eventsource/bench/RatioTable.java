package dev.eventsource.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns JMH results into a Markdown table with the speed-up of eventsource-java over each baseline
 * measured in the same run. Benchmarks compare implementations through a parameter named
 * {@value #IMPL}: the value {@value #OURS} is ours, every other value is a baseline, and results are
 * paired when the benchmark method and all other parameters match. The speed-up is
 * {@code ours / baseline} for throughput and {@code baseline / ours} for time modes, so above 1 always
 * means ours is faster.
 *
 * <pre>{@code
 * Collection<RunResult> results = new Runner(options).run();
 * System.out.println(RatioTable.markdown(results));
 * }</pre>
 */
public final class RatioTable {

    /** Name of the parameter that selects the implementation under test. */
    public static final String IMPL = "impl";
    /** The {@value #IMPL} value of eventsource-java. */
    public static final String OURS = "eventsource";

    private RatioTable() {
    }

    /** One Markdown table row per result, in benchmark order, with a speed-up column for baselines. */
    public static String markdown(Collection<RunResult> results) {
        Map<String, List<RunResult>> groups = new TreeMap<>();
        for (RunResult r : results) {
            groups.computeIfAbsent(groupKey(r.getParams()), k -> new ArrayList<>()).add(r);
        }
        StringBuilder out = new StringBuilder()
                .append("| benchmark | params | impl | score | error | unit | ours vs this |\n")
                .append("|---|---|---|---:|---:|---|---:|\n");
        for (List<RunResult> group : groups.values()) {
            RunResult ours = group.stream().filter(r -> OURS.equals(impl(r.getParams()))).findFirst().orElse(null);
            for (RunResult r : group) {
                BenchmarkParams p = r.getParams();
                Result<?> s = r.getPrimaryResult();
                out.append("| ").append(method(p))
                        .append(" | ").append(otherParams(p))
                        .append(" | ").append(impl(p) == null ? "-" : impl(p))
                        .append(" | ").append(format(s.getScore()))
                        .append(" | ").append(Double.isNaN(s.getScoreError()) ? "-" : format(s.getScoreError()))
                        .append(" | ").append(s.getScoreUnit())
                        .append(" | ").append(speedUp(ours, r))
                        .append(" |\n");
            }
        }
        return out.toString();
    }

    private static String speedUp(RunResult ours, RunResult other) {
        if (ours == null || ours == other) {
            return "";
        }
        double a = ours.getPrimaryResult().getScore();
        double b = other.getPrimaryResult().getScore();
        double ratio = ours.getParams().getMode().shortLabel().equals("thrpt") ? a / b : b / a;
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String groupKey(BenchmarkParams p) {
        return p.getBenchmark() + "|" + p.getMode() + "|" + otherParams(p);
    }

    private static String method(BenchmarkParams p) {
        String b = p.getBenchmark();
        String[] parts = b.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] + "." + parts[parts.length - 1] : b;
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

    private static String format(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
