package dev.eventsource;

import dev.eventsource.store.InMemoryStore;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;
import java.util.ArrayList;
import java.util.List;

/**
 * A quick timing check of the command path on the in-memory store (not a benchmark: the bench
 * module has those). Run it from an IDE, or after {@code mvn -pl runtime -am test-compile} with
 * {@code java -cp runtime/target/classes:runtime/target/test-classes:annotations/target/classes:<jackson-core,
 * slf4j-api jars> dev.eventsource.CommandThroughputCheck [aggregates] [commands per thread] [threads]}.
 *
 * <pre>{@code
 * round 3: 2,000,000 commands on 1,000 aggregates, 1 thread(s): 497,884 commands/s
 * }</pre>
 */
public final class CommandThroughputCheck {

    private CommandThroughputCheck() {
    }

    public static void main(String[] args) throws InterruptedException {
        int aggregates = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int commands = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String[] ids = new String[aggregates];
        Add[] adds = new Add[aggregates];
        for (int i = 0; i < aggregates; i++) {
            ids[i] = "counter-" + i;
            adds[i] = new Add(ids[i], 1);
        }
        for (int round = 0; round < 5; round++) {
            try (Engine engine = Engine.builder().store(new InMemoryStore()).snapshotEvery(100).build()) {
                engine.registerAggregate(Counter.class);
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t * (aggregates / threads);
                    workers.add(new Thread(() -> {
                        for (int i = 0; i < commands; i++) {
                            int a = (offset + i % (aggregates / threads)) % aggregates;
                            engine.execute(Counter.class, ids[a], adds[a]);
                        }
                    }));
                }
                long start = System.nanoTime();
                workers.forEach(Thread::start);
                for (Thread w : workers) {
                    w.join();
                }
                long nanos = System.nanoTime() - start;
                long total = (long) commands * threads;
                System.out.printf("round %d: %,d commands on %,d aggregates, %d thread(s): %,.0f commands/s, %.2f us/command%n",
                        round, total, aggregates, threads, total * 1e9 / nanos, nanos / 1e3 / total);
            }
        }
    }
}
