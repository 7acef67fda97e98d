package dev.eventsource.tests.bank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.CommandContext;
import dev.eventsource.CommandValidationException;
import dev.eventsource.testing.AggregateFixture;
import dev.eventsource.testing.ProjectionFixture;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The testing kit's fixtures on the bank domain: what passes, and what each failure says. */
class BankFixturesTest {

    private static AggregateFixture<BankAccount> account() {
        return AggregateFixture.of(BankAccount.class).withId("a1").given(new AccountOpened("a1", "ann"),
                new Deposited("a1", 100));
    }

    @Test
    void given_when_then_on_the_real_command_path() {
        account().at(Instant.parse("2026-03-01T10:00:00Z"))
                .when(new BankCommands.Withdraw("a1", 30))
                .expectEvents(new Withdrawn("a1", 30, "atm"))
                .expectState(a -> {
                    assertThat(a.balance).isEqualTo(70);
                    assertThat(a.version()).isEqualTo(3);
                })
                .expectEventsSatisfying(events -> assertThat(events).hasSize(1));
        AggregateFixture.of(BankAccount.class).withId("new")
                .when(new BankCommands.Open("new", "bob"), CommandContext.builder().userId("bob").build())
                .expectEvents(new AccountOpened("new", "bob"));
        account().when(new BankCommands.CheckBalance("a1")).expectNoEvents();
    }

    @Test
    void a_rejected_command_is_expected_by_type_and_message() {
        account().when(new BankCommands.Withdraw("a1", 500))
                .expectRejected(CommandValidationException.class, "insufficient funds in a1: 100 < 500");
        account().when(new BankCommands.WithdrawThenCrash("a1")).expectRejected(IllegalStateException.class, "");
    }

    @Test
    void a_conflicting_writer_between_read_and_append_makes_the_command_run_again() {
        account().whenConcurrently(new BankCommands.Withdraw("a1", 80))
                .when(new BankCommands.Withdraw("a1", 30))
                .expectRejected(CommandValidationException.class, "insufficient funds in a1: 20 < 30");
        account().whenConcurrently(new BankCommands.Deposit("a1", 5))
                .when(new BankCommands.Withdraw("a1", 30))
                .expectEvents(new Withdrawn("a1", 30, "atm"))
                .expectState(a -> assertThat(a.balance).isEqualTo(75));
    }

    @Test
    void failures_say_what_was_expected_and_what_happened() {
        assertThatThrownBy(() -> account().when(new BankCommands.Withdraw("a1", 30))
                .expectEvents(new Withdrawn("a1", 31, "atm")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the command of BankAccount a1 given [AccountOpened[accountId=a1, owner=ann],"
                        + " Deposited[accountId=a1, cents=100]] recorded other events")
                .hasMessageContaining("expected: [Withdrawn[accountId=a1, cents=31, reason=atm]]")
                .hasMessageContaining("recorded: [Withdrawn[accountId=a1, cents=30, reason=atm]]");
        assertThatThrownBy(() -> account().when(new BankCommands.Withdraw("a1", 500)).expectNoEvents())
                .isInstanceOf(AssertionError.class).hasMessageContaining("failed, expected no events")
                .hasMessageContaining("insufficient funds");
        assertThatThrownBy(() -> account().when(new BankCommands.Withdraw("a1", 5))
                .expectRejected(CommandValidationException.class, "funds"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("was accepted, expected CommandValidationException")
                .hasMessageContaining("recorded: [Withdrawn");
        assertThatThrownBy(() -> account().when(new BankCommands.Withdraw("a1", 500))
                .expectRejected(IllegalStateException.class, "funds"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("failed otherwise")
                .hasMessageContaining("expected: java.lang.IllegalStateException containing \"funds\"");
    }

    @Test
    void a_given_event_the_aggregate_does_not_apply_is_reported() {
        assertThatThrownBy(() -> AggregateFixture.of(BankAccount.class).given("not an event")
                .when(new BankCommands.CheckBalance("fixture-1")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("BankAccount has no @Apply method for java.lang.String (nor for a newer version of it),"
                        + " so not an event cannot be in its stream bank-account/fixture-1");
    }

    @Test
    void a_projection_given_events_in_made_up_envelopes() {
        ProjectionFixture.of(new Balances())
                .given(new AccountOpened("a1", "ann"), new Deposited("a1", 100), new Withdrawn("a1", 30, "atm"))
                .expectState(b -> {
                    assertThat(b.balances).isEqualTo(Map.of("a1", 70L));
                    assertThat(b.versions.get("a1")).isEqualTo(List.of(1L, 2L, 3L));
                });
        assertThatThrownBy(() -> ProjectionFixture.of("a string")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither an @Projection class");
    }
}
