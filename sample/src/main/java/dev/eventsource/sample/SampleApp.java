package dev.eventsource.sample;

import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryStore;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * The sample's main class: runs the orders {@link Scenario} and prints its report. In memory by
 * default; {@code --postgres <jdbc-url>} runs it on PostgreSQL. Exits with status 1 when an
 * invariant is broken, 2 on bad arguments.
 *
 * <pre>{@code
 * java -jar sample/target/eventsource-sample.jar --orders 20000
 * java -jar sample/target/eventsource-sample.jar --postgres jdbc:postgresql://127.0.0.1:5432/test?user=postgres
 * java -jar sample/target/eventsource-sample.jar --postgres jdbc:postgresql://127.0.0.1:5432/test?user=postgres --node a
 * }</pre>
 */
public final class SampleApp {

    private static final String USAGE = """
            Usage: java -jar eventsource-sample.jar [options]
              --orders N          orders to place (default 5000)
              --customers N       customers (default 200)
              --threads N         threads sending commands to one order at once (default 8)
              --per-thread N      commands each of those threads sends (default 250)
              --seed N            random seed (default 42)
              --postgres URL      run on PostgreSQL, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres
              --schema NAME       PostgreSQL schema for the sample, dropped and recreated (default eventsource_sample)
              --node NAME         with --postgres: run as one node of a cluster of sample processes sharing the
                                  schema (created if missing, never dropped); --orders is this node's orders
              --help              this text
            """;

    private SampleApp() {
    }

    /** Runs the scenario with the given options. */
    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(USAGE);
            return;
        }
        if (options.node != null) {
            System.exit(NodeRun.run(options.postgresUrl, options.schema, options.node, options.settings.orders(),
                    System.out));
            return;
        }
        ScenarioReport report = run(options, System.out);
        report.print(System.out);
        if (!report.failures().isEmpty()) {
            System.exit(1);
        }
    }

    /** Runs the scenario on the store the options choose, printing progress to {@code out}. */
    static ScenarioReport run(Options options, PrintStream out) throws Exception {
        Progress progress = new Progress(out);
        if (options.postgresUrl != null) {
            return PostgresBackend.run(options.postgresUrl, options.schema, options.settings, progress);
        }
        progress.println(String.format(Locale.ROOT, "Running the orders scenario in memory: %s", options.settings));
        try (EventStore store = new InMemoryStore()) {
            return new Scenario(Scenario.Backend.of("in-memory (InMemoryStore)", store), options.settings, progress).run();
        }
    }

    /** Parsed command line. */
    static final class Options {
        Scenario.Settings settings = Scenario.Settings.defaults();
        String postgresUrl;
        String schema = "eventsource_sample";
        String node;
        boolean help;

        static Options parse(String... args) {
            Options o = new Options();
            Scenario.Settings d = Scenario.Settings.defaults();
            int customers = d.customers();
            int orders = d.orders();
            int threads = d.threads();
            int perThread = d.commandsPerThread();
            long seed = d.seed();
            Iterator<String> it = Arrays.asList(args).iterator();
            while (it.hasNext()) {
                String arg = it.next();
                switch (arg) {
                    case "--orders" -> orders = positive(arg, value(arg, it));
                    case "--customers" -> customers = positive(arg, value(arg, it));
                    case "--threads" -> threads = positive(arg, value(arg, it));
                    case "--per-thread" -> perThread = positive(arg, value(arg, it));
                    case "--seed" -> seed = Long.parseLong(value(arg, it));
                    case "--postgres" -> o.postgresUrl = value(arg, it);
                    case "--schema" -> o.schema = value(arg, it);
                    case "--node" -> o.node = value(arg, it);
                    case "--help", "-h" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option: " + arg);
                }
            }
            o.settings = new Scenario.Settings(customers, orders, threads, perThread, seed);
            if (o.node != null && o.postgresUrl == null) {
                throw new IllegalArgumentException("--node needs --postgres: the nodes of a cluster share a database");
            }
            if (o.node != null && !NodeRun.NAME.matcher(o.node).matches()) {
                throw new IllegalArgumentException("--node needs a lower-case name of letters, digits, - and _"
                        + " (up to 40), got '" + o.node + "'");
            }
            return o;
        }

        private static String value(String option, Iterator<String> it) {
            if (!it.hasNext()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return it.next();
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs a positive number, got '" + value + "'");
        }
    }
}
