package dev.eventsource.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.postgres.PgTestDatabase;
import dev.eventsource.testing.ProjectionFixture;
import dev.eventsource.tests.quickstart.OrderCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ProjectionFixture} runs a transactional projection against a {@code DataSource} on
 * PostgreSQL: each given event in a transaction of its own, committed when the handler returns and
 * rolled back when it throws.
 */
class LedgerFixturePostgresTest {

    private static final String SCHEMA = "es_t_ledger_fixture";

    private HikariDataSource pool;

    @BeforeEach
    void freshSchema() {
        pool = PgTestDatabase.freshSchema(SCHEMA, 2);
        PgTestDatabase.execute(new LedgerTable(SCHEMA).ddl());
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void each_given_event_commits_in_its_own_transaction() {
        ProjectionFixture.of(new LedgerTable(SCHEMA)).inTransactions(pool)
                .given(new OrderCreated("o1", "c1", 10.0), new OrderCreated("o2", "c1", 2.5))
                .expectState(ledger -> assertThat(PgTestDatabase.queryLong("select count(*) from " + SCHEMA + ".ledger"))
                        .isEqualTo(2));
        assertThat(PgTestDatabase.queryLong("select position from " + SCHEMA + ".ledger where order_id = 'o2'"))
                .as("made-up positions from 1").isEqualTo(2);
    }

    @Test
    void a_failing_event_rolls_its_transaction_back_and_fails_the_test() {
        PgTestDatabase.execute("alter table " + SCHEMA + ".ledger add constraint positive check (amount > 0)");
        assertThatThrownBy(() -> ProjectionFixture.of(new LedgerTable(SCHEMA)).inTransactions(pool)
                .given(new OrderCreated("o1", "c1", 10.0), new OrderCreated("o2", "c1", -1.0)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("projection ledger failed on given event 2 (OrderCreated[id=o2")
                .hasMessageContaining("its transaction was rolled back");
        assertThat(PgTestDatabase.queryLong("select count(*) from " + SCHEMA + ".ledger")).isEqualTo(1);
    }

    @Test
    void a_transactional_projection_without_a_data_source_is_refused() {
        assertThatThrownBy(() -> ProjectionFixture.of(new LedgerTable(SCHEMA)).given(new OrderCreated("o1", "c1", 1.0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call inTransactions(dataSource)");
    }
}
