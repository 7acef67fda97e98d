package dev.eventsource.tests.evolution;

import dev.eventsource.EventEnvelope;
import dev.eventsource.Resettable;
import dev.eventsource.annotations.Apply;
import dev.eventsource.annotations.Projection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Each member's current plan, and the stored type names of the events it was built from. */
@Projection(name = "plans")
public class Plans implements Resettable {

    final Map<String, String> plans = new ConcurrentHashMap<>();
    final List<String> storedTypes = new CopyOnWriteArrayList<>();

    @Apply
    void on(MemberSignedUp e, EventEnvelope<MemberSignedUp> env) {
        plans.put(e.memberId(), e.plan());
        storedTypes.add(env.eventType());
    }

    @Apply
    void on(PlanChanged e, EventEnvelope<PlanChanged> env) {
        plans.put(e.memberId(), e.plan());
        storedTypes.add(env.eventType());
    }

    @Override
    public void reset() {
        plans.clear();
        storedTypes.clear();
    }
}
