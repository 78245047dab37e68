package io.stormwatch.core.job.hashtags;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;

/**
 * What a hashtag is, and the one form we count it in.
 *
 * <p><b>Folding.</b> A tag is counted as {@code toLowerCase(Locale.ROOT)} of its NFC form: {@code #Café},
 * {@code #CAFÉ} and {@code #cafe\u0301} (e + combining acute) are one tag, {@code café}. Locale.ROOT, not the
 * machine's locale, so that a Turkish JVM does not make {@code #ISTANBUL} into {@code ıstanbul}; lower case,
 * not full Unicode case folding, so {@code #STRASSE} and {@code #straße} stay two tags (as Twitter's own
 * search does). The {@code #} is not part of the counted tag.
 *
 * <p><b>Tags in text</b> (used only for a tweet without entities: Twitter's entities are the authority when
 * present). A tag is a {@code #} (or the full-width {@code ＃}) not preceded by a letter, digit, mark,
 * underscore or {@code &} (so {@code a#b} and the HTML entity {@code &#39;} are not tags), followed by a run of
 * tag characters — Unicode letters, combining marks, decimal digits (any script), underscore, and the zero-width
 * (non-)joiners that Persian and Indic scripts need — that starts with no mark and holds at least one letter
 * ({@code #2024} and {@code #___} are not tags, as on Twitter). The run ends at anything else: space,
 * punctuation, an emoji ({@code #東京🗼} is {@code 東京}), another {@code #}. Spark's tutorial
 * ({@code split(" ").filter(_.startsWith("#"))}) would count {@code #tag,} and {@code #tag} apart and
 * {@code #} alone; this does not.
 */
public final class HashtagText {

    private static final char FULL_WIDTH_HASH = '\uFF03';

    private HashtagText() {}

    /** The counted form of a tag's text (without its {@code #}). */
    public static String fold(String tag) {
        for (int i = 0; i < tag.length(); i++) {
            if (tag.charAt(i) >= 0x80) {
                return Normalizer.normalize(tag, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
            }
        }
        return tag.toLowerCase(Locale.ROOT);
    }

    /** Adds the folded tags of {@code text} to {@code into}, each once (tags already in it are not added again). */
    public static void scan(String text, List<String> into) {
        int length = text.length();
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            if ((c != '#' && c != FULL_WIDTH_HASH) || (i > 0 && blocksTag(text.codePointBefore(i)))) {
                i++;
                continue;
            }
            int start = i + 1;
            int end = start;
            boolean letter = false;
            while (end < length) {
                int cp = text.codePointAt(end);
                if (!isTagChar(cp) || (end == start && isMark(cp))) {
                    break;
                }
                letter |= Character.isLetter(cp);
                end += Character.charCount(cp);
            }
            if (letter) {
                add(into, fold(text.substring(start, end)));
            }
            i = Math.max(end, start);
        }
    }

    /** Adds {@code tag} to {@code into} unless it is there: a tweet counts a tag once. */
    static void add(List<String> into, String tag) {
        if (!tag.isEmpty() && !into.contains(tag)) {
            into.add(tag);
        }
    }

    private static boolean blocksTag(int before) {
        return before == '&' || isTagChar(before);
    }

    static boolean isTagChar(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '_' || isMark(cp) || cp == 0x200C || cp == 0x200D;
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
