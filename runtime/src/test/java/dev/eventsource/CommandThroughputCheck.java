package dev.eventsource;

import dev.eventsource.store.InMemoryStore;
import dev.eventsource.testdomain.Commands.Add;
import dev.eventsource.testdomain.Counter;

/**
 * A quick timing check of the command path on the in-memory store (not a benchmark: the bench
 * module has those). Run: {@code mvn -q -pl runtime test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=dev.eventsource.CommandThroughputCheck}, or from an IDE.
 */
public final class CommandThroughputCheck {

    private CommandThroughputCheck() {
    }

    public static void main(String[] args) {
        int aggregates = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int commands = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        for (int round = 0; round < 5; round++) {
            try (Engine engine = Engine.builder().store(new InMemoryStore()).snapshotEvery(100).build()) {
                engine.registerAggregate(Counter.class);
                String[] ids = new String[aggregates];
                Add[] adds = new Add[aggregates];
                for (int i = 0; i < aggregates; i++) {
                    ids[i] = "counter-" + i;
                    adds[i] = new Add(ids[i], 1);
                }
                long start = System.nanoTime();
                for (int i = 0; i < commands; i++) {
                    int a = i % aggregates;
                    engine.execute(Counter.class, ids[a], adds[a]);
                }
                long nanos = System.nanoTime() - start;
                System.out.printf("round %d: %,d commands on %,d aggregates in %d ms: %,.0f commands/s, %.2f us/command%n",
                        round, commands, aggregates, nanos / 1_000_000, commands * 1e9 / nanos, nanos / 1e3 / commands);
            }
        }
    }
}
