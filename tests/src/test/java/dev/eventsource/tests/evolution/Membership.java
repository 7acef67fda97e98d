package dev.eventsource.tests.evolution;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;

/** A club membership whose two event types were renamed after events of both were stored. */
@Aggregate
public class Membership extends AggregateRoot {

    String id;
    String plan;
    int changes;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(MemberSignedUp e) {
        id = e.memberId();
        plan = e.plan();
    }

    @Apply
    void on(PlanChanged e) {
        plan = e.plan();
        changes++;
    }

    /** Moves the member to another plan. */
    public record ChangePlan(String plan) implements Command<Membership> {
        @Override
        public void perform(Membership membership) {
            membership.record(new PlanChanged(membership.id, plan));
        }
    }
}
