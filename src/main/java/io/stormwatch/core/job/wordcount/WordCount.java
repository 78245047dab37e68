package io.stormwatch.core.job.wordcount;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.agg.Counts;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.job.Aggregate;
import io.stormwatch.core.job.Extractor;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Settings;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.text.Tokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * word-count: Spark Streaming's NetworkWordCount ({@code lines.flatMap(_.split(" ")).map((_, 1))
 * .reduceByKey(_ + _)}, printed every 1 s batch) and Storm's classic word count, over lines of plain text.
 *
 * <ul>
 *   <li>Extractor: the words of a line by the {@link Tokenizer} (Unicode letters and digits of any script,
 *       case-folded; punctuation, white space, symbols and emoji separate words). A line without a word is a
 *       record of zero words, not a rejection: there is nothing wrong with a blank line of text. Rejected, and
 *       counted in {@code rejected}: a line with bytes that are not UTF-8, wherever they are
 *       ({@code invalid-utf8}: the readers decode each bad sequence to {@link LineReader#UNDECODABLE}, and
 *       the job rejects the line as the access-log parser does), and, by the engine before the extractor, a
 *       line over {@code stormwatch.max.line.length} ({@code too-long}; the readers cut it, never holding it
 *       whole).</li>
 *   <li>Aggregate: {@code records} (lines), a SUM cell of words, and a STRING-keyed dimension: the count of each
 *       word.</li>
 *   <li>Views: the JSON object
 *       <pre>{"records":3,"rejected":0,"rejectReasons":{},"words":7,"distinctWords":5,
 * "topWords":[{"word":"the","count":2},{"word":"a","count":2},...]}</pre>
 *       where {@code words} counts occurrences, {@code distinctWords} distinct words, and {@code topWords} the
 *       {@value #TOP} most frequent (ties by word, in code-unit order); with {@value #ALL} {@code true} also
 *       {@code counts}, every word with its count in the same order. The log line is Spark's {@code print()}
 *       on one line: {@code records=3 rejected=0 words=7 distinct=5 (a,2) (the,2) ...}, the first ten by
 *       count.</li>
 *   <li>Time: lines of text carry none ({@link #hasEventTime()} is false), so windows are processing time:
 *       by default 1 s tumbling windows, lag 0 — the 1 s batches of NetworkWordCount
 *       ({@link #engineDefaults()}).</li>
 * </ul>
 *
 * <p><b>Memory.</b> Whatever is shown, a tally holds every distinct word it counted: a window's, for the words
 * of that second; the all-time totals', for the whole vocabulary seen (a key in the running totals' state
 * each). Text has a long tail (Zipf): a million lines of real prose hold 10⁴–10⁵ distinct words, a log of
 * identifiers far more. {@code counts} is therefore off by default: rendering it is O(distinct words) every
 * time the totals or a window is written.
 *
 * @param top number of words in {@code topWords} ({@value #TOP}, default 10)
 * @param all also write {@code counts}, every word ({@value #ALL}, default false)
 */
public record WordCount(int top, boolean all) implements Job<String[]> {

    public static final String NAME = "word-count";

    /** Config key: how many words {@code topWords} lists. */
    public static final String TOP = "stormwatch.words.top";
    /** Config key: {@code true} to write every word's count as {@code counts}. */
    public static final String ALL = "stormwatch.words.all";

    public static final int DEFAULT_TOP = 10;
    /** Reject reason of a line with bytes that are not UTF-8 (the key the access-log jobs use too). */
    public static final String INVALID_UTF8 = RejectReason.INVALID_UTF8.key();
    /** Words the log line shows, as Spark's {@code print()}. */
    static final int LOGGED_WORDS = 10;

    /** Cell: words counted (occurrences). */
    static final int WORDS = 2;
    /** Dimension: count per word. */
    static final int COUNTS = 1;
    static final TallySchema SCHEMA = TallySchema.builder().sum().stringKeys().build();
    private static final Aggregate<String[]> COUNTING = Aggregate.of(SCHEMA, WordCount::count);

    /** Engine defaults: 1 s tumbling processing-time windows, no lag (see the class comment). */
    private static final Map<String, String> ENGINE_DEFAULTS = Map.of(
            Settings.WINDOW_LENGTH, "1s",
            Settings.WINDOW_SLIDE, "1s",
            Settings.WINDOW_LAG, "0s",
            "stormwatch.time", "processing");

    public WordCount {
        if (top < 0) {
            throw new IllegalArgumentException(TOP + " must be >= 0, got " + top);
        }
    }

    /** Top 10, no full counts. */
    public static WordCount defaults() {
        return new WordCount(DEFAULT_TOP, false);
    }

    /** From {@value #TOP} (default 10) and {@value #ALL} (default false). */
    public static WordCount fromConfig(Map<String, Object> conf) {
        String all = Settings.string(conf, ALL, "false").trim().toLowerCase(Locale.ROOT);
        if (!all.equals("true") && !all.equals("false")) {
            throw new IllegalArgumentException(ALL + " must be true or false, got '" + all + "'");
        }
        return new WordCount(Settings.integer(conf, TOP, DEFAULT_TOP), Boolean.parseBoolean(all));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Extractor<String[]> newExtractor() {
        Tokenizer tokenizer = new Tokenizer();
        List<String> words = new ArrayList<>();
        return (line, rejects) -> {
            int undecodable = LineReader.indexOfUndecodable(line, 0);
            if (undecodable >= 0) {
                // A word with bytes that are not UTF-8 would be counted under a word that is not in the text.
                rejects.reject(INVALID_UTF8, "bytes that are not UTF-8 at col " + (undecodable + 1));
                return null;
            }
            words.clear();
            tokenizer.tokenize(line, words::add);
            return words.toArray(new String[0]);
        };
    }

    /** Lines carry no time; never asked, since the job runs in processing time only. */
    @Override
    public long eventTimeMillis(String[] record) {
        return 0;
    }

    @Override
    public boolean hasEventTime() {
        return false;
    }

    @Override
    public Map<String, String> engineDefaults() {
        return ENGINE_DEFAULTS;
    }

    @Override
    public Aggregate<String[]> aggregate() {
        return COUNTING;
    }

    @Override
    public Views views() {
        return new WordViews(top, all);
    }

    private static void count(String[] words, Tally accumulator) {
        accumulator.countRecord();
        accumulator.sum(WORDS, words.length);
        for (String word : words) {
            accumulator.count(COUNTS, word);
        }
    }

    /** The JSON object and the log line; see the class comment. */
    record WordViews(int top, boolean all) implements Views {

        @Override
        public void writeFields(Tally tally, JsonGenerator json) throws IOException {
            json.writeNumberField("records", tally.records());
            json.writeNumberField("rejected", tally.rejected());
            json.writeObjectFieldStart("rejectReasons");
            List<Map.Entry<String, Long>> reasons = new ArrayList<>(tally.<String>dim(TallySchema.REJECT_REASONS).toMap().entrySet());
            reasons.sort(Map.Entry.comparingByKey());
            for (Map.Entry<String, Long> e : reasons) {
                json.writeNumberField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
            Counts<String> counts = tally.dim(COUNTS);
            json.writeNumberField("words", tally.cell(WORDS));
            json.writeNumberField("distinctWords", counts.size());
            json.writeArrayFieldStart("topWords");
            for (Map.Entry<String, Long> e : counts.top(top, Comparator.naturalOrder())) {
                json.writeStartObject();
                json.writeStringField("word", e.getKey());
                json.writeNumberField("count", e.getValue());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (all) {
                json.writeObjectFieldStart("counts");
                for (Map.Entry<String, Long> e : counts.sortedByCountDesc(Comparator.naturalOrder())) {
                    json.writeNumberField(e.getKey(), e.getValue());
                }
                json.writeEndObject();
            }
        }

        @Override
        public String describe(JsonNode json) {
            StringBuilder line = new StringBuilder()
                    .append("records=").append(json.path("records").asLong())
                    .append(" rejected=").append(json.path("rejected").asLong())
                    .append(" words=").append(json.path("words").asLong())
                    .append(" distinct=").append(json.path("distinctWords").asLong());
            int shown = 0;
            for (JsonNode e : json.path("topWords")) {
                if (shown++ == LOGGED_WORDS) {
                    break;
                }
                line.append(" (").append(e.path("word").asText()).append(',').append(e.path("count").asLong()).append(')');
            }
            if (json.path("distinctWords").asLong() > shown) {
                line.append(" ...");
            }
            return line.toString();
        }
    }
}
