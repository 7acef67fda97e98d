package dev.eventsource.tests.reactions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eventsource.CommandContext;
import dev.eventsource.testing.ReactionFixture;
import org.junit.jupiter.api.Test;

/** The testing kit's reaction fixture on the receipts reaction: the commands, their context, redelivery, failures. */
class ReactionFixtureTest {

    private static ReactionFixture<ReactionNode.ReceiptsOnSale> receipts() {
        return ReactionFixture.of(engine -> new ReactionNode.ReceiptsOnSale(engine, "-")).withAggregates(Receipts.class);
    }

    @Test
    void the_reaction_executes_its_command_with_the_events_context_and_a_redelivery_is_a_duplicate() {
        ReactionFixture.Outcome<ReactionNode.ReceiptsOnSale> first = receipts()
                .when(Ticket.class, "t1", new TicketSold("t1"))
                .expectCommands(new Receipts.Issue("t1"))
                .expectCausedBy("receipts-on-sale")
                .expectAppended(Receipts.class, "receipts-t1", new ReceiptIssued("t1"))
                .expectState(r -> assertThat(r.issued).hasValue(1));
        first.redelivered()
                .expectCommands(new Receipts.Issue("t1"))
                .expectCommandsSatisfying(commands -> assertThat(commands).singleElement()
                        .satisfies(c -> assertThat(c.duplicate()).isTrue()))
                .expectAppended(Receipts.class, "receipts-t1")
                .expectState(r -> assertThat(r.duplicates).hasValue(1));
    }

    @Test
    void the_recorded_command_carries_its_aggregate_and_context() {
        receipts().given(Ticket.class, "t0", new TicketSold("t0"))
                .when(Ticket.class, "t2", new TicketSold("t2"))
                .expectCommandsSatisfying(commands -> assertThat(commands).singleElement().satisfies(c -> {
                    assertThat(c.aggregateType()).isEqualTo(Receipts.class);
                    assertThat(c.aggregateId()).isEqualTo("receipts-t2");
                    assertThat(c.context().causationId()).isNotNull();
                    assertThat(c.result().events()).hasSize(1);
                    assertThat(c.failure()).isNull();
                    assertThat(c).hasToString("Receipts receipts-t2 <- Issue[ticketId=t2] (1 events)");
                }));
    }

    @Test
    void failures_say_what_was_expected_and_what_was_executed() {
        assertThatThrownBy(() -> receipts().when(Ticket.class, "t1", new TicketSold("t1"))
                .expectCommands(new Receipts.Issue("t9")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the reaction to TicketSold[ticketId=t1] in Ticket t1 executed other commands")
                .hasMessageContaining("expected: [Issue[ticketId=t9]]")
                .hasMessageContaining("executed: [Receipts receipts-t1 <- Issue[ticketId=t1] (1 events)]");
        assertThatThrownBy(() -> receipts().when(Ticket.class, "t1", new TicketSold("t1")).expectNoCommands())
                .isInstanceOf(AssertionError.class).hasMessageContaining("executed commands, expected none");
        assertThatThrownBy(() -> receipts().when(Ticket.class, "t1", new TicketSold("t1")).expectCausedBy("other-name"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("with another context")
                .hasMessageContaining("expected: " + CommandContext.class.getSimpleName());
        assertThatThrownBy(() -> receipts().when(Ticket.class, "t1", new TicketSold("t1"))
                .expectAppended(Receipts.class, "receipts-t1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("appended other events to Receipts receipts-t1")
                .hasMessageContaining("appended: [ReceiptIssued[ticketId=t1]]");
    }

    @Test
    void a_reaction_whose_command_goes_to_an_unregistered_aggregate_fails_saying_so() {
        ReactionFixture.of(engine -> new ReactionNode.ReceiptsOnSale(engine, "-"))
                .when(Ticket.class, "t1", new TicketSold("t1"))
                .expectFailure(IllegalArgumentException.class, "Receipts");
        assertThatThrownBy(() -> ReactionFixture.of(engine -> new ReactionNode.ReceiptsOnSale(engine, "-"))
                .when(Ticket.class, "t1", new TicketSold("t1")).expectNoCommands())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the reaction to TicketSold[ticketId=t1] in Ticket t1 threw");
    }
}
