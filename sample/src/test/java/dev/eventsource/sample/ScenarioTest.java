package dev.eventsource.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eventsource.store.InMemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the sample's whole story with small counts on the in-memory store and checks what it reports. */
class ScenarioTest {

    static final Scenario.Settings SMALL = new Scenario.Settings(20, 400, 4, 60, 7);

    @Test
    void scenarioKeepsEveryInvariantInMemory() throws Exception {
        ScenarioReport report;
        try (InMemoryStore store = new InMemoryStore()) {
            report = new Scenario(Scenario.Backend.of("in-memory", store), SMALL, new Progress(null)).run();
        }
        assertReportIsHealthy(report, SMALL);
    }

    static void assertReportIsHealthy(ScenarioReport report, Scenario.Settings settings) {
        assertThat(report.failures()).isEmpty();
        assertThat(report.counts().get("orders placed")).isGreaterThan(settings.orders() / 2);
        assertThat(report.counts().get("orders cancelled")).isPositive();
        assertThat(report.counts().get("orders delivered")).isPositive();
        assertThat(report.rejected()).as("some orders exceed their customer's credit").isPositive();
        assertThat(report.invalid()[0]).isPositive().isEqualTo(report.invalid()[1]);

        ScenarioReport.Concurrency c = report.concurrency();
        assertThat(c.commands()).isEqualTo((long) settings.threads() * settings.commandsPerThread());
        assertThat(c.finalLines()).isEqualTo(c.commands());
        assertThat(c.attempts()).isGreaterThanOrEqualTo(c.commands());

        assertThat(report.rebuild().after()).isEqualTo(report.rebuild().before());
        assertThat(report.rebuild().after().orders()).isEqualTo(report.counts().get("orders placed"));

        ScenarioReport.Reaction r = report.reaction();
        assertThat(r.awarded()).as("the reaction awarded points for the payments").isPositive().isEqualTo(r.expectedAwards());
        assertThat(r.redelivered()).as("every payment delivered again was a duplicate").isEqualTo(r.awarded());
        assertThat(r.appendedByRedelivery()).as("and appended nothing").isZero();

        ScenarioReport.SnapshotLoad s = report.snapshot();
        assertThat(s.snapshotVersion()).isPositive().isLessThanOrEqualTo(s.version());
        assertThat(s.version()).isGreaterThan(c.commands());
        assertThat(s.sameState()).isTrue();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("All invariants hold.", "commands/s", "equal to live: yes", "same state: yes",
                        "loyalty-on-payment (a reaction")
                .doesNotContain("MISMATCH");
    }
}
