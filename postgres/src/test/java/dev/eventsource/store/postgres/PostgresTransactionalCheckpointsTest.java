package dev.eventsource.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.eventsource.store.StoreException;
import dev.eventsource.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A projection's read-model writes and its checkpoint commit together or not at all. */
class PostgresTransactionalCheckpointsTest {

    private static final String SCHEMA = "es_t_txcheckpoint";
    @RegisterExtension
    static final PgSchema db = new PgSchema(SCHEMA, 2);
    private static HikariDataSource dataSource;
    private static PostgresStore store;

    @BeforeAll
    static void setUp() {
        dataSource = db.dataSource();
        store = db.store();
        PgTestDatabase.execute("CREATE TABLE " + SCHEMA + ".totals (id text PRIMARY KEY, n bigint NOT NULL)",
                "INSERT INTO " + SCHEMA + ".totals VALUES ('all', 0)");
    }

    private static void increment(Object tx) throws SQLException {
        try (Statement st = ((Connection) tx).createStatement()) {
            st.executeUpdate("UPDATE " + SCHEMA + ".totals SET n = n + 1 WHERE id = 'all'");
        }
    }

    private static long total() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT n FROM " + SCHEMA + ".totals WHERE id = 'all'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void workAndCheckpointCommitTogether() throws Exception {
        assertThat(store.transactionType()).isEqualTo(Connection.class);
        long before = total();
        store.inTransaction("totals", 3, 41, tx -> {
            assertThat(((Connection) tx).getAutoCommit()).isFalse();
            increment(tx);
        });
        assertThat(total()).isEqualTo(before + 1);
        assertThat(store.loadCheckpoints("totals")).containsEntry(3, 41L);
    }

    @Test
    void aTransactionWithALowerCheckpointCommitsItsWorkAndLeavesTheHigherCheckpoint() throws Exception {
        store.saveCheckpoint("behind", 2, 50);
        long before = total();

        store.inTransaction("behind", 2, 30, PostgresTransactionalCheckpointsTest::increment);

        assertThat(total()).isEqualTo(before + 1);
        assertThat(store.loadCheckpoints("behind")).isEqualTo(Map.of(2, 50L));
        store.inTransaction("behind", 2, 60, PostgresTransactionalCheckpointsTest::increment);
        assertThat(store.loadCheckpoints("behind")).isEqualTo(Map.of(2, 60L));
    }

    @Test
    void failingWorkRollsBackTheWorkAndLeavesTheCheckpoint() throws Exception {
        store.saveCheckpoint("failing", 0, 7);
        long before = total();

        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> store.inTransaction("failing", 0, 8, tx -> {
            increment(tx);
            throw boom;
        })).isSameAs(boom);
        assertThatThrownBy(() -> store.inTransaction("failing", 0, 8, tx -> {
            increment(tx);
            throw new SQLException("read model broken");
        })).isInstanceOf(StoreException.class).isNotInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("failing").hasMessageContaining("partition 0")
                .hasMessageContaining("checkpoint 8").hasMessageContaining("read model broken");

        assertThat(total()).isEqualTo(before);
        assertThat(store.loadCheckpoints("failing")).isEqualTo(Map.of(0, 7L));
    }

    @Test
    void workThatFailsBecauseTheConnectionBrokeUnderItIsReportedAsTheStoreBeingUnavailable() throws Exception {
        store.saveCheckpoint("cut", 1, 5);
        long before = total();

        assertThatThrownBy(() -> store.inTransaction("cut", 1, 6, tx -> {
            increment(tx);
            try (Statement st = ((Connection) tx).createStatement()) {
                st.execute("SELECT pg_terminate_backend(pg_backend_pid())");   // the server ends this connection
            }
        })).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("cut").hasMessageContaining("partition 1")
                .hasMessageContaining("connection broke").hasMessageContaining("checkpoint 6")
                .cause().isInstanceOf(SQLException.class);

        assertThat(total()).isEqualTo(before);
        assertThat(store.loadCheckpoints("cut")).isEqualTo(Map.of(1, 5L));
    }

    @Test
    void resetWorkAndDeletingEveryCheckpointCommitTogether() throws Exception {
        store.saveCheckpoint("rebuilt", 0, 12);
        store.saveCheckpoint("rebuilt", 1, 15);
        store.saveCheckpoint("other", 0, 3);
        long before = total();

        store.resetInTransaction("rebuilt", tx -> {
            assertThat(((Connection) tx).getAutoCommit()).isFalse();
            increment(tx);
        });

        assertThat(total()).isEqualTo(before + 1);
        assertThat(store.loadCheckpoints("rebuilt")).isEmpty();
        assertThat(store.loadCheckpoints("other")).isEqualTo(Map.of(0, 3L));
    }

    @Test
    void failingResetKeepsTheCheckpointsAndRollsBackTheWork() throws Exception {
        store.saveCheckpoint("unreset", 0, 12);
        store.saveCheckpoint("unreset", 1, 15);
        long before = total();

        assertThatThrownBy(() -> store.resetInTransaction("unreset", tx -> {
            increment(tx);
            throw new SQLException("truncate refused");
        })).isInstanceOf(StoreException.class).hasMessageContaining("unreset").hasMessageContaining("resets it")
                .hasMessageContaining("truncate refused");

        assertThat(total()).isEqualTo(before);
        assertThat(store.loadCheckpoints("unreset")).isEqualTo(Map.of(0, 12L, 1, 15L));
    }
}
