package dev.eventsource.sample;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The sample's story on PostgreSQL, with the transactional SQL read model. Fails (never skips) when
 * the database at {@code EVENTSOURCE_PG_URL} (default: local {@code test} database) is unreachable.
 */
class PostgresScenarioTest {

    static final String URL = System.getenv().getOrDefault("EVENTSOURCE_PG_URL",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    /** Smaller than the in-memory run: every command is a transaction; the hot order still passes a snapshot. */
    static final Scenario.Settings SMALLER = new Scenario.Settings(10, 150, 4, 40, 7);

    @Test
    void scenarioKeepsEveryInvariantOnPostgres() throws Exception {
        ScenarioReport report = PostgresBackend.run(URL, "sample_scenario_test", SMALLER, new Progress(null));
        ScenarioTest.assertReportIsHealthy(report, SMALLER);
        assertThat(report.backend()).startsWith("PostgreSQL");
        assertThat(report.orderTable).as("the SQL read model was checked").isEqualTo(report.boardTruth);
    }
}
