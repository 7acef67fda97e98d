package dev.eventsource.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Two {@code --node} runs side by side on one schema (two engines on their own pools: two
 * instances), as the README shows with two processes: both finish with every own order matching
 * the shared read model, and each ran some of its partitions.
 */
class NodeRunTest {

    private static final String SCHEMA = "sample_node_test";

    @Test
    void twoNodesShareTheReadModelAndEachFindsItsOrdersInIt() throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresScenarioTest.URL); Statement st = c.createStatement()) {
            st.execute("drop schema if exists " + SCHEMA + " cascade");
        }
        ByteArrayOutputStream outA = new ByteArrayOutputStream();
        ByteArrayOutputStream outB = new ByteArrayOutputStream();
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> node("a", outA));
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> node("b", outB));

        assertThat(a.get()).as(outA.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(b.get()).as(outB.toString(StandardCharsets.UTF_8)).isZero();
        String both = outA.toString(StandardCharsets.UTF_8) + outB.toString(StandardCharsets.UTF_8);
        assertThat(both).contains("node a: all 400 orders match the read model")
                .contains("node b: all 400 orders match the read model")
                .contains("cluster-wide projection status")
                .as("while both ran, each owned partitions").containsPattern("p\\d a .*p\\d b|p\\d b .*p\\d a");
    }

    private static int node(String name, ByteArrayOutputStream out) {
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            return NodeRun.run(PostgresScenarioTest.URL, SCHEMA, name, 400, print);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
