package dev.eventsource.bench;

import java.util.Collection;
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
 * place instead of on every benchmark class: throughput in operations per second, 1 fork, 3 warm-up
 * and 5 measurement iterations of 1 s (short, because the machine is shared; pass JMH options to
 * measure longer).
 *
 * <pre>{@code
 * java -jar bench/target/benchmarks.jar -f 1 -wi 3 -i 5 -w 1s -r 1s CommandBenchmark
 * }</pre>
 */
public final class RunBenchmarks {

    private RunBenchmarks() {
    }

    /** Runs the benchmarks selected by {@code args} (JMH syntax) and prints the ratio table. */
    public static void main(String[] args) throws Exception {
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
            options.warmupIterations(3);
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
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.println();
        System.out.println("Speed-ups of eventsource-java over the baselines measured in this run:");
        System.out.println();
        System.out.print(RatioTable.markdown(results));
    }
}
