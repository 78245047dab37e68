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
     * its {@link LineReader#UNDECODABLE}s shown as U+FFFD. Line and detail are made well-formed text (any other
     * unpaired surrogate, e.g. from a JSON escape {@code "\\ud800"} quoted in a detail, becomes U+FFFD too), so
     * that a dead-letter output never fails to encode one: a writer that cannot encode a tuple fails it, and the
     * replay would fail again, for ever.
     */
    public static DeadLetter of(String source, long offset, String reason, String detail, String line) {
        String kept = LineReader.showUndecodable(line, '\uFFFD');
        if (kept.length() > LINE_CHARS) {
            int end = LINE_CHARS;
            if (Character.isHighSurrogate(kept.charAt(end - 1))) {
                end--;
            }
            kept = kept.substring(0, end);
        }
        return new DeadLetter(source, offset, reason, wellFormed(detail), wellFormed(kept));
    }

    /** {@code text} with each unpaired surrogate replaced by U+FFFD. */
    static String wellFormed(String text) {
        if (text == null) {
            return null;
        }
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = '\uFFFD';
            }
        }
        return chars == null ? text : new String(chars);
    }
}
