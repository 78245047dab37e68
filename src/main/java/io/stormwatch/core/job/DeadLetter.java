package io.stormwatch.core.job;

import io.stormwatch.core.io.LineReader;
import java.io.Serializable;

/**
 * A line that gave no record, as the dead-letter outputs keep it: counted in the totals' {@code rejected},
 * never dropped silently.
 *
 * @param source where the line came from
 * @param offset its position in the source
 * @param reason the rejection's key, e.g. {@code too-long}
 * @param detail the extractor's explanation
 * @param line   the line, cut to its first {@value #LINE_CHARS} characters, with U+FFFD where its bytes were not
 *               UTF-8 (the reader's {@link LineReader#UNDECODABLE} is no character a JSON or UTF-8 writer takes)
 */
public record DeadLetter(String source, long offset, String reason, String detail, String line) implements Serializable {

    /** Dead letters keep this many characters of a line: enough to see what is wrong, bounded in size. */
    public static final int LINE_CHARS = 1024;

    /**
     * A dead letter of {@code line}, cut to {@link #LINE_CHARS}, never between the two halves of a surrogate pair,
     * its {@link LineReader#UNDECODABLE}s shown as U+FFFD.
     */
    public static DeadLetter of(String source, long offset, String reason, String detail, String line) {
        String kept = line.replace(LineReader.UNDECODABLE, '\uFFFD');
        if (kept.length() > LINE_CHARS) {
            int end = LINE_CHARS;
            if (Character.isHighSurrogate(kept.charAt(end - 1))) {
                end--;
            }
            kept = kept.substring(0, end);
        }
        return new DeadLetter(source, offset, reason, detail, kept);
    }
}
