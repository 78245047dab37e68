package io.stormwatch.core.job.hashtags;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.job.Extractor;
import io.stormwatch.core.job.Job;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One line of a Twitter API v1.1 stream — a status JSON object, a notice, or a keep-alive blank line — into
 * a {@link Status}, with Jackson's streaming parser: the fields the job needs are read as they pass, every
 * other subtree ({@code user}, {@code place}, {@code quoted_status}, {@code entities.urls}, ...) is skipped
 * with {@code skipChildren()} and never built. No tree per tweet.
 *
 * <p><b>A status</b> is an object with {@code created_at} (Twitter's time, {@link TwitterTime}: the event
 * time, to the second; {@code timestamp_ms} is not needed and REST-API statuses lack it) and {@code text}
 * (or {@code full_text}). Its hashtags, folded and each counted once per tweet ({@link HashtagText}), come from
 * <ol>
 *   <li>{@code extended_tweet.entities.hashtags} when the status has an {@code extended_tweet} (a tweet over
 *       140 characters: {@code truncated: true}, and the top-level entities cover only the cut text);</li>
 *   <li>else {@code entities.hashtags};</li>
 *   <li>else, when that has no {@code hashtags} array (entities absent, e.g. an archive that dropped them), the
 *       {@code #tags} of the text ({@code extended_tweet.full_text}, {@code full_text}, {@code text}).</li>
 * </ol>
 * <b>Retweets</b> ({@code retweeted_status} present) count as tweets — a retweet is a tweet in the stream,
 * and Spark's {@code getText.split} counts it too: that is what makes a tag trend — with the tags of the
 * retweeted status, found the same way. Twitter copies them into the retweet's own entities, but the
 * retweet's text is {@code "RT @user: "} plus the original cut to 140 characters, and tags past the cut are
 * only in the original's {@code extended_tweet}. A quoted tweet's tags ({@code quoted_status}) are not the
 * quoting tweet's and are not counted.
 *
 * <p><b>Notices</b> are valid stream messages, not tweets and not errors: an object with one field whose value
 * is an object or array, e.g. {@code {"delete":{"status":{...},"timestamp_ms":"1539202764000"}}}, and blank
 * lines (Twitter's keep-alives). They are counted by kind ({@link #NOTICE_KINDS}; any other such object is
 * {@value #OTHER}); their event time is their {@code timestamp_ms} when they carry one ({@code delete},
 * {@code limit}, {@code scrub_geo}, {@code *_withheld}), else none ({@code disconnect}, {@code warning},
 * keep-alives: counted in the totals, in no event-time window). A {@code delete} does not take the deleted
 * tweet's tags out of counts: the job does not keep tweets.
 *
 * <p><b>Rejections</b>, each with a detail: {@value #INVALID_JSON} (not JSON, cut JSON, or text after the
 * object), {@value #NOT_AN_OBJECT} (an array, a string, a number...), {@value #MISSING_FIELD} (an object that
 * is neither a notice nor has {@code created_at} and a text), {@value #BAD_FIELD} ({@code created_at} not in
 * Twitter's format; a field the job reads with the wrong type), {@value #TOO_DEEP} (nesting beyond Jackson's
 * read constraints, 1,000 levels: a hostile line, refused before it costs), {@value #INVALID_UTF8} (bytes that
 * are not UTF-8 anywhere in the line). Never throws. Lines longer than the engine's bound never get here
 * ({@code too-long}). Not thread-safe (one per parse task, as every extractor).
 *
 * <p>Example: {@code {"created_at":"Wed Oct 10 20:19:24 +0000 2018","text":"#Storm beats #storm",
 * "entities":{"hashtags":[{"text":"Storm"},{"text":"storm"}]}}} is a tweet at 2018-10-10T20:19:24Z with the
 * one tag {@code storm}.
 */
public final class StatusExtractor implements Extractor<Status> {

    public static final String INVALID_JSON = "invalid-json";
    public static final String NOT_AN_OBJECT = "not-an-object";
    public static final String MISSING_FIELD = "missing-field";
    public static final String BAD_FIELD = "bad-field";
    public static final String TOO_DEEP = "too-deep";
    public static final String INVALID_UTF8 = "invalid-utf8";

    /** Notice kind of a blank line. */
    public static final String KEEP_ALIVE = "keep-alive";
    /** Notice kind of a one-field object of a kind not in {@link #NOTICE_KINDS}. */
    public static final String OTHER = "other";
    /** The kinds notices are counted under; the tally's notices dimension never holds more keys than these. */
    public static final Set<String> NOTICE_KINDS = Set.of("delete", "limit", "scrub_geo", "status_withheld",
            "user_withheld", "disconnect", "warning", "friends", "friends_str", "control", KEEP_ALIVE, OTHER);

    private static final JsonFactory JSON = new JsonFactory();
    /** Characters of a field's value a rejection's detail shows. */
    private static final int DETAIL_CHARS = 60;

    /** A field the job reads has the wrong type or form. Thrown and caught here only. */
    private static final class BadField extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadField(String message) {
            super(message, null, false, false);
        }
    }

    /** What one status object holds that the job needs. */
    private static final class Fields {
        String createdAt;
        String text;
        String fullText;
        boolean hasHashtags;
        final List<String> tags = new ArrayList<>(4);
        boolean extended;
        String extendedText;
        boolean extendedHasHashtags;
        final List<String> extendedTags = new ArrayList<>(4);
        Fields retweeted;
        int fieldCount;
        /** The name of the first field when its value is an object or array: a notice's kind. */
        String containerField;
        long noticeTime = Job.NO_EVENT_TIME;

        String fullestText() {
            return extended && extendedText != null ? extendedText : fullText != null ? fullText : text;
        }

        boolean looksLikeStatus() {
            return createdAt != null || text != null || fullText != null || extended;
        }

        List<String> hashtags() {
            if (extended && extendedHasHashtags) {
                return extendedTags;
            }
            if (hasHashtags) {
                return tags;
            }
            List<String> scanned = new ArrayList<>(4);
            String fullest = fullestText();
            if (fullest != null) {
                HashtagText.scan(fullest, scanned);
            }
            return scanned;
        }
    }

    @Override
    public Status extract(String line, Rejects rejects) {
        int undecodable = LineReader.indexOfUndecodable(line, 0);
        if (undecodable >= 0) {
            rejects.reject(INVALID_UTF8, "bytes that are not UTF-8 at character " + undecodable);
            return null;
        }
        if (line.isBlank()) {
            return Status.notice(KEEP_ALIVE, Job.NO_EVENT_TIME);
        }
        try (JsonParser parser = JSON.createParser(line)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                rejects.reject(NOT_AN_OBJECT, "a JSON " + kind(first) + ", not an object");
                return null;
            }
            Fields status = new Fields();
            readObject(parser, status, true);
            if (parser.nextToken() != null) {
                rejects.reject(INVALID_JSON, "more after the object, at column " + column(parser.currentTokenLocation()));
                return null;
            }
            return status(status, rejects);
        } catch (StreamConstraintsException e) {
            rejects.reject(TOO_DEEP, cut(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            rejects.reject(INVALID_JSON, cut(e.getOriginalMessage()) + " at column " + column(e.getLocation()));
        } catch (BadField e) {
            rejects.reject(BAD_FIELD, e.getMessage());
        } catch (IOException e) {
            rejects.reject(INVALID_JSON, cut(String.valueOf(e.getMessage()))); // a String source does not fail to read
        }
        return null;
    }

    private static Status status(Fields fields, Rejects rejects) {
        if (!fields.looksLikeStatus() && fields.fieldCount == 1 && fields.containerField != null) {
            String kind = NOTICE_KINDS.contains(fields.containerField) ? fields.containerField : OTHER;
            return Status.notice(kind, fields.noticeTime);
        }
        if (fields.createdAt == null) {
            rejects.reject(MISSING_FIELD, "created_at: a status needs it (and this is no notice)");
            return null;
        }
        String text = fields.fullestText();
        if (text == null) {
            rejects.reject(MISSING_FIELD, "text: a status needs it");
            return null;
        }
        long time = TwitterTime.parse(fields.createdAt);
        if (time == TwitterTime.INVALID) {
            rejects.reject(BAD_FIELD, "created_at: not Twitter's time (\"Wed Oct 10 20:19:24 +0000 2018\"): '"
                    + cut(fields.createdAt) + "'");
            return null;
        }
        Fields tagged = fields.retweeted != null ? fields.retweeted : fields;
        return new Status(time, text, tagged.hashtags(), fields.retweeted != null, null);
    }

    /** Reads the fields of the object just started, up to its end. */
    private static void readObject(JsonParser parser, Fields into, boolean top) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            into.fieldCount++;
            switch (name) {
                case "created_at" -> into.createdAt = string(parser, value, name);
                case "text" -> into.text = string(parser, value, name);
                case "full_text" -> into.fullText = string(parser, value, name);
                case "entities" -> {
                    if (object(value, name)) {
                        into.hasHashtags |= readEntities(parser, into.tags, name);
                    }
                }
                case "extended_tweet" -> {
                    if (object(value, name)) {
                        into.extended = true;
                        readExtended(parser, into);
                    }
                }
                case "retweeted_status" -> {
                    if (top && object(value, name)) {
                        into.retweeted = new Fields();
                        readObject(parser, into.retweeted, false);
                    } else {
                        parser.skipChildren(); // a retweet of a retweet is not a thing Twitter sends
                    }
                }
                default -> {
                    if (top && into.fieldCount == 1 && (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)) {
                        into.containerField = name;
                        if (value == JsonToken.START_OBJECT) {
                            into.noticeTime = readNoticeTime(parser);
                        } else {
                            parser.skipChildren();
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        }
    }

    /** {@code extended_tweet}: its {@code full_text} and {@code entities}. */
    private static void readExtended(JsonParser parser, Fields into) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "full_text" -> into.extendedText = string(parser, value, "extended_tweet.full_text");
                case "entities" -> {
                    if (object(value, "extended_tweet.entities")) {
                        into.extendedHasHashtags |= readEntities(parser, into.extendedTags, "extended_tweet.entities");
                    }
                }
                default -> parser.skipChildren();
            }
        }
    }

    /** An {@code entities} object: adds its hashtags' texts; true when it has a {@code hashtags} array. */
    private static boolean readEntities(JsonParser parser, List<String> tags, String where) throws IOException {
        boolean found = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (!name.equals("hashtags") || value == JsonToken.VALUE_NULL) {
                parser.skipChildren();
                continue;
            }
            if (value != JsonToken.START_ARRAY) {
                throw new BadField(where + ".hashtags: not an array");
            }
            found = true;
            for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                if (element != JsonToken.START_OBJECT) {
                    throw new BadField(where + ".hashtags: an element is not an object");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken text = parser.nextToken();
                    if (field.equals("text")) {
                        String tag = string(parser, text, where + ".hashtags[].text");
                        if (tag != null) {
                            HashtagText.add(tags, HashtagText.fold(tag));
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
            }
        }
        return found;
    }

    /** A notice's {@code timestamp_ms} (text or number), or none. */
    private static long readNoticeTime(JsonParser parser) throws IOException {
        long time = Job.NO_EVENT_TIME;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("timestamp_ms") && value == JsonToken.VALUE_NUMBER_INT) {
                time = parser.getLongValue();
            } else if (name.equals("timestamp_ms") && value == JsonToken.VALUE_STRING) {
                time = millis(parser.getText());
            } else {
                parser.skipChildren();
            }
        }
        return time;
    }

    /** Decimal epoch milliseconds, or none when the text is not a plain number. */
    private static long millis(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return Job.NO_EVENT_TIME;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Job.NO_EVENT_TIME;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String string(JsonParser parser, JsonToken value, String name) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new BadField(name + ": a JSON " + kind(value) + ", not a string");
    }

    /** True for an object value; false for null; a bad field otherwise. */
    private static boolean object(JsonToken value, String name) {
        if (value == JsonToken.START_OBJECT) {
            return true;
        }
        if (value == JsonToken.VALUE_NULL) {
            return false;
        }
        throw new BadField(name + ": a JSON " + kind(value) + ", not an object");
    }

    private static String kind(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private static long column(JsonLocation location) {
        return location == null ? -1 : location.getColumnNr();
    }

    private static String cut(String text) {
        return text == null ? "" : text.length() <= DETAIL_CHARS ? text : text.substring(0, DETAIL_CHARS) + "…";
    }
}
