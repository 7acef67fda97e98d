package dev.eventsource.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.Main;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Entry point of {@code bench/target/benchmarks.jar}: runs JMH with the usual command-line options,
 * then prints the results again as a Markdown table with ours-vs-baseline speed-ups
 * ({@link RatioTable}). Options not given on the command line take this project's defaults, in one
 * place instead of on every benchmark class: throughput in operations per second, 1 fork, 5 warm-up
 * and 5 measurement iterations of 1 s (short, because the machine is shared; pass JMH options to
 * measure longer). {@code --rounds N} (not a JMH option) runs the selection N times and reports the
 * median speed-up over the rounds, each computed within its round.
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar -f 1 -wi 5 -i 5 -w 1s -r 1s CommandBenchmark
 * java -jar bench/target/benchmarks.jar --rounds 3 -e Postgres
 * }</pre>
 */
public final class RunBenchmarks {

    private RunBenchmarks() {
    }

    /** Runs the benchmarks selected by {@code args} (JMH syntax) and prints the ratio table. */
    public static void main(String[] args) throws Exception {
        int rounds = 1;
        List<String> jmhArgs = new ArrayList<>(List.of(args));
        int at = jmhArgs.indexOf("--rounds");
        if (at >= 0) {
            if (at + 1 >= jmhArgs.size()) {
                throw new IllegalArgumentException("--rounds needs a number");
            }
            rounds = Integer.parseInt(jmhArgs.get(at + 1));
            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be at least 1: " + rounds);
            }
            jmhArgs.subList(at, at + 2).clear();
        }
        args = jmhArgs.toArray(new String[0]);
        CommandLineOptions cli = new CommandLineOptions(args);
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListWithParams() || cli.shouldListProfilers()
                || cli.shouldListResultFormats()) {
            Main.main(args);
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
        if (cli.getBenchModes().isEmpty()) {
            options.mode(Mode.Throughput);
        }
        if (!cli.getTimeUnit().hasValue()) {
            options.timeUnit(TimeUnit.SECONDS);
        }
        if (!cli.getForkCount().hasValue()) {
            options.forks(1);
        }
        if (!cli.getWarmupIterations().hasValue()) {
            options.warmupIterations(5);
        }
        if (!cli.getWarmupTime().hasValue()) {
            options.warmupTime(TimeValue.seconds(1));
        }
        if (!cli.getMeasurementIterations().hasValue()) {
            options.measurementIterations(5);
        }
        if (!cli.getMeasurementTime().hasValue()) {
            options.measurementTime(TimeValue.seconds(1));
        }
        List<Collection<RunResult>> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            if (rounds > 1) {
                System.out.printf("%n=== round %d of %d ===%n", round, rounds);
            }
            results.add(new Runner(options.build()).run());
        }
        System.out.println();
        System.out.println("Speed-ups of eventsource-java over the baselines measured in the same run"
                + (rounds > 1 ? " (medians over " + rounds + " rounds)" : "") + ":");
        System.out.println();
        System.out.print(RatioTable.markdown(results));
    }
}
