package io.stormwatch.testing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import io.stormwatch.core.job.Aggregate;
import io.stormwatch.core.job.Extractor;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Views;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal job for engine tests: a line {@code "<epoch ms> <key>"} is an event; anything else is rejected
 * as {@code bad}. Its tally counts events per key and keeps the earliest and latest time, so that sums,
 * keyed counts, minima and maxima all go through the engine.
 */
public final class EventJob implements Job<EventJob.Event> {

    private static final long serialVersionUID = 1L;

    public record Event(long time, String key) {}

    public static final int FIRST = 2;
    public static final int LAST = 3;
    public static final int KEYS = 1;
    public static final TallySchema SCHEMA = TallySchema.builder().min().max().stringKeys().build();

    /** The line of an event. */
    public static String line(long time, String key) {
        return time + " " + key;
    }

    @Override
    public String name() {
        return "events";
    }

    @Override
    public Extractor<Event> newExtractor() {
        return (line, rejects) -> {
            int space = line.indexOf(' ');
            if (space <= 0) {
                rejects.reject("bad", "no space");
                return null;
            }
            try {
                return new Event(Long.parseLong(line.substring(0, space)), line.substring(space + 1));
            } catch (NumberFormatException e) {
                rejects.reject("bad", "not a time");
                return null;
            }
        };
    }

    @Override
    public long eventTimeMillis(Event record) {
        return record.time();
    }

    @Override
    public Aggregate<Event> aggregate() {
        return Counting.INSTANCE;
    }

    @Override
    public Views views() {
        return Rendering.INSTANCE;
    }

    /** Counts an event, as the aggregate does. */
    public static void add(Event event, Tally tally) {
        Counting.INSTANCE.add(event, tally);
    }

    private enum Counting implements Aggregate<Event> {
        INSTANCE;

        @Override
        public TallySchema schema() {
            return SCHEMA;
        }

        @Override
        public void add(Event record, Tally accumulator) {
            accumulator.countRecord();
            accumulator.min(FIRST, record.time());
            accumulator.max(LAST, record.time());
            accumulator.count(KEYS, record.key());
        }
    }

    private enum Rendering implements Views {
        INSTANCE;

        @Override
        public void writeFields(Tally tally, JsonGenerator json) throws IOException {
            json.writeNumberField("records", tally.records());
            json.writeNumberField("rejected", tally.rejected());
            json.writeObjectFieldStart("keys");
            for (Map.Entry<String, Long> e : new TreeMap<>(tally.<String>dim(KEYS).toMap()).entrySet()) {
                json.writeNumberField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
        }

        @Override
        public String describe(JsonNode json) {
            return "records=" + json.path("records").asLong() + " keys=" + json.path("keys");
        }
    }
}
