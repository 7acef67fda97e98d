package dev.eventsource.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The command line of {@link SampleApp}. */
class SampleAppTest {

    @Test
    void parsesEveryOption() {
        SampleApp.Options o = SampleApp.Options.parse("--orders", "10", "--customers", "3", "--threads", "2",
                "--per-thread", "5", "--seed", "9", "--postgres", "jdbc:postgresql://h/db", "--schema", "s1");
        assertThat(o.settings).isEqualTo(new Scenario.Settings(3, 10, 2, 5, 9));
        assertThat(o.postgresUrl).isEqualTo("jdbc:postgresql://h/db");
        assertThat(o.schema).isEqualTo("s1");
    }

    @Test
    void defaultsToAFewThousandOrdersInMemory() {
        SampleApp.Options o = SampleApp.Options.parse();
        assertThat(o.settings).isEqualTo(Scenario.Settings.defaults());
        assertThat(o.postgresUrl).isNull();
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> SampleApp.Options.parse("--orders", "0"))
                .hasMessage("--orders needs a positive number, got '0'");
        assertThatThrownBy(() -> SampleApp.Options.parse("--orders")).hasMessage("--orders needs a value");
        assertThatThrownBy(() -> SampleApp.Options.parse("--fast")).hasMessage("unknown option: --fast");
        assertThatThrownBy(() -> SampleApp.Options.parse("--node", "a"))
                .hasMessage("--node needs --postgres: the nodes of a cluster share a database");
        assertThatThrownBy(() -> SampleApp.Options.parse("--postgres", "jdbc:postgresql://h/db", "--node", "Node A"))
                .hasMessage("--node needs a lower-case name of letters, digits, - and _ (up to 40), got 'Node A'");
    }

    @Test
    void parsesANode() {
        SampleApp.Options o = SampleApp.Options.parse("--postgres", "jdbc:postgresql://h/db", "--node", "node-a");
        assertThat(o.node).isEqualTo("node-a");
    }
}
