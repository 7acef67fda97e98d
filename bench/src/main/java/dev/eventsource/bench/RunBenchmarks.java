package dev.eventsource.bench;

import java.util.Collection;
import org.openjdk.jmh.Main;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Entry point of {@code bench/target/benchmarks.jar}: runs JMH with the usual command-line options,
 * then prints the results again as a Markdown table with ours-vs-baseline speed-ups
 * ({@link RatioTable}).
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
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()) {
            Main.main(args);
            return;
        }
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.println("Speed-ups of eventsource-java over the baselines measured in this run:");
        System.out.println();
        System.out.print(RatioTable.markdown(results));
    }
}
