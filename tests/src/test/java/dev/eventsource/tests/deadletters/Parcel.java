package dev.eventsource.tests.deadletters;

import dev.eventsource.AggregateRoot;
import dev.eventsource.Command;
import dev.eventsource.annotations.Aggregate;
import dev.eventsource.annotations.Apply;

/** A parcel that is shipped once per leg; its events reach the projections whose dead letters the tests retry. */
@Aggregate(name = "parcel")
public class Parcel extends AggregateRoot {

    String id;
    int legs;

    @Override
    public String id() {
        return id;
    }

    @Apply
    void on(ParcelShipped e) {
        id = e.parcelId();
        legs++;
    }

    /** Ships the parcel (again) with {@code carrier}. */
    public record Ship(String parcelId, String carrier) implements Command<Parcel> {
        @Override
        public void perform(Parcel parcel) {
            parcel.record(new ParcelShipped(parcelId, carrier, "express"));
        }
    }
}
