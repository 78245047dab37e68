package io.stormwatch.core.job.hashtags;

import io.stormwatch.core.job.Job;
import java.util.List;

/**
 * One line of a Twitter v1.1 stream, as the hashtags job counts it: a status (a tweet or a retweet), or a
 * notice (a {@code delete}, {@code limit}, ... message, or a keep-alive blank line).
 *
 * @param timeMillis event time: a status's {@code created_at}; a notice's {@code timestamp_ms} when it has one,
 *                   else {@link Job#NO_EVENT_TIME}
 * @param text       a status's text ({@code extended_tweet.full_text} when there is one); null for a notice
 * @param tags       a status's hashtags, folded ({@link HashtagText}), each once; empty for a notice
 * @param retweet    a status with a {@code retweeted_status}
 * @param notice     a notice's kind ({@link StatusExtractor#NOTICE_KINDS}), or null for a status
 */
public record Status(long timeMillis, String text, List<String> tags, boolean retweet, String notice) {

    public static Status notice(String kind, long timeMillis) {
        return new Status(timeMillis, null, List.of(), false, kind);
    }

    public boolean isNotice() {
        return notice != null;
    }
}
