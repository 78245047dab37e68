package io.stormwatch.core.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Splits a line of text into case-folded words: the one tokenizer of stormwatch (word-count uses it). A hand
 * written loop over the line's characters, with a table for ASCII: no regular expression, no allocation but
 * the words themselves. On generated text (~8 words a line) it takes ~300 ns of CPU a line: 1.2 × a bare
 * {@code split(" ")}, and a regex split on {@code [^\p{L}\p{N}\p{M}'-]+} plus {@code toLowerCase} takes 3.4 ×
 * as long while doing less ({@code bin/bench-topology tokenizer}, {@code TokenizerBenchmark}).
 *
 * <h2>What a word is</h2>
 * <ul>
 *   <li>A run of <b>letters and digits of any script</b> (Unicode categories L* and N*: Latin, Greek, Cyrillic,
 *       Arabic, Hebrew, Devanagari, Hangul, Katakana, Arabic-Indic digits, ...), with the <b>combining marks</b>
 *       (Mn, Mc) that follow a letter or digit: {@code "naïve"}, {@code "देवनागरी"}, Arabic with its vowel
 *       signs are one word each. A mark with no letter before it is dropped.</li>
 *   <li><b>Everything else separates words</b>: white space, punctuation, symbols (Sm, Sc, Sk, So — so
 *       <b>emoji are not words</b>, nor are {@code +}, {@code $}, {@code ©}), enclosing marks (Me, the keycap
 *       of {@code 1️⃣}), control characters and U+200B ZERO WIDTH SPACE. The underscore separates too:
 *       {@code snake_case} is two words, and {@code 3.14} is {@code 3} and {@code 14}.</li>
 *   <li><b>Apostrophes and hyphens inside a word keep it whole</b>: one apostrophe ({@code '} U+0027 or
 *       {@code ’} U+2019) or one hyphen ({@code -} U+002D, {@code ‐} U+2010, {@code ‑} U+2011) with a letter or
 *       digit right before and right after it: {@code don't}, {@code l'homme}, {@code e-mail},
 *       {@code well-known}, {@code Jean-Luc}. {@code ’} is written {@code '} and the Unicode hyphens {@code -},
 *       so {@code don’t} and {@code don't} are one word. At the edge of a word, doubled or spaced, they separate:
 *       {@code 'quoted'} → {@code quoted}, {@code dogs'} → {@code dogs}, {@code a--b} → {@code a}, {@code b}.</li>
 *   <li><b>Han ideographs and Hiragana are one word per character</b> (as Unicode's word-boundary rules,
 *       UAX #29, and Lucene's StandardTokenizer do): Chinese and Japanese write no spaces, and without a
 *       dictionary a character is the honest unit. {@code 東京タワー} → {@code 東}, {@code 京}, {@code タワー}
 *       (Katakana runs stay whole). Thai, Lao, Khmer and Myanmar, also written without spaces, are not
 *       segmented: a run of them is one word.</li>
 *   <li>Invisible format characters (Cf: soft hyphen, ZWJ, ZWNJ, bidi marks, BOM) and variation selectors
 *       are dropped, inside a word too: {@code co\u00ADoperate} → {@code cooperate}.</li>
 * </ul>
 *
 * <h2>Case folding</h2>
 * Words are compared without case, in a form a reader still recognizes: NFC, then lower case by
 * {@link Locale#ROOT} (never the machine's locale), with two exceptions. Examples:
 * <ul>
 *   <li>{@code Hello HELLO hello} → {@code hello} ×3; {@code ПРИВЕТ} → {@code привет}.</li>
 *   <li><b>NFC first</b>: {@code café} typed as {@code e} + U+0301 (NFD) and as {@code é} (NFC) are one word,
 *       written in NFC. Compatibility forms are not folded (NFC, not NFKC): {@code ﬁ}, {@code ＡＢＣ} stay
 *       as they are.</li>
 *   <li><b>German ß is folded to ss</b>, as Unicode's full case folding does, because {@code STRASSE} is how
 *       {@code Straße} is written in capitals: {@code Straße}, {@code STRASSE}, {@code strasse} and
 *       {@code STRAẞE} (capital ẞ) are all {@code strasse}. The price: {@code Maße} and {@code Masse} are one
 *       word too.</li>
 *   <li><b>Greek sigma</b> is lower-cased in the context of the whole word (Java's final-sigma rule): a
 *       {@code Σ} at the end of a word becomes {@code ς}, elsewhere {@code σ}, so {@code ΟΔΟΣ} and
 *       {@code οδος} are one word, spelled as Greek is ({@code οδος}, not {@code οδοσ}).</li>
 *   <li><b>Turkish dotted capital İ</b> (U+0130) becomes plain {@code i}, not {@code i} + U+0307 as the root
 *       locale would make it (an {@code i} or {@code I} followed by U+0307 COMBINING DOT ABOVE is {@code i} too),
 *       so {@code İstanbul} and {@code istanbul} are one word. The undotted {@code I} is
 *       {@code i} (not Turkish {@code ı}), and {@code ı} stays {@code ı}: folding does not depend on a language
 *       the line does not declare, so Turkish {@code ILIK} → {@code ilik}, not {@code ılık}.</li>
 * </ul>
 *
 * <p>Not thread-safe (it reuses one buffer): one per extractor, which is one per parse task.
 */
public final class Tokenizer {

    /** What a character does. */
    private static final byte SEPARATOR = 0;
    private static final byte WORD = 1;
    private static final byte UPPER = 2;
    private static final byte APOSTROPHE = 3;
    private static final byte HYPHEN = 4;
    private static final byte MARK = 5;
    private static final byte IGNORED = 6;
    /** A word on its own: a Han ideograph or a Hiragana character. */
    private static final byte SOLO = 7;

    private static final byte[] ASCII = new byte[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            ASCII[c] = WORD;
        }
        for (char c = '0'; c <= '9'; c++) {
            ASCII[c] = WORD;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            ASCII[c] = UPPER;
        }
        ASCII['\''] = APOSTROPHE;
        ASCII['-'] = HYPHEN;
    }

    private char[] buffer = new char[64];
    private int length;
    /** The word so far is all ASCII, already lower case: no folding needed. */
    private boolean ascii;
    /** The word so far holds a combining mark: NFC may change it. */
    private boolean marks;
    /** The word so far is a SOLO character (with its marks): the next letter starts a new word. */
    private boolean solo;

    /** The words of {@code line}, in order, case-folded. */
    public List<String> words(String line) {
        List<String> words = new ArrayList<>();
        tokenize(line, words::add);
        return words;
    }

    /**
     * Hands each word of {@code line} to {@code words}, in order, case-folded.
     *
     * @return how many words there were
     */
    public int tokenize(String line, Consumer<String> words) {
        int count = 0;
        length = 0;
        ascii = true;
        marks = false;
        solo = false;
        int n = line.length();
        int i = 0;
        while (i < n) {
            char c = line.charAt(i);
            int cp;
            int width;
            byte kind;
            if (c < 0x80) {
                cp = c;
                width = 1;
                kind = ASCII[c];
            } else {
                cp = Character.isHighSurrogate(c) ? line.codePointAt(i) : c;
                width = Character.charCount(cp);
                kind = classify(cp);
            }
            switch (kind) {
                case WORD, UPPER -> {
                    if (solo) {
                        count += emit(words);
                    }
                    append(kind == UPPER ? cp + ('a' - 'A') : cp);
                }
                case SOLO -> {
                    count += emit(words);
                    append(cp);
                    solo = true;
                }
                case MARK -> {
                    if (length > 0) {
                        append(cp);
                        marks = true;
                    }
                }
                case APOSTROPHE, HYPHEN -> {
                    // Inside a word only: a letter or digit before (not a joiner, not a SOLO) and one after.
                    char last = length > 0 ? buffer[length - 1] : '\'';
                    if (length > 0 && !solo && last != '\'' && last != '-' && startsWord(line, i + width)) {
                        append(kind == APOSTROPHE ? '\'' : '-');
                    } else {
                        count += emit(words);
                    }
                }
                case IGNORED -> {
                    // invisible: neither part of the word nor a break in it
                }
                default -> count += emit(words);
            }
            i += width;
        }
        return count + emit(words);
    }

    /** True when the code point at {@code i} is a letter or digit (a word can go on through a joiner). */
    private static boolean startsWord(String line, int i) {
        if (i >= line.length()) {
            return false;
        }
        char c = line.charAt(i);
        if (c < 0x80) {
            byte kind = ASCII[c];
            return kind == WORD || kind == UPPER;
        }
        byte kind = classify(Character.isHighSurrogate(c) ? line.codePointAt(i) : c);
        return kind == WORD || kind == UPPER || kind == SOLO;
    }

    private static byte classify(int cp) {
        switch (cp) {
            case 0x2019 -> {
                return APOSTROPHE;
            }
            case 0x2010, 0x2011 -> {
                return HYPHEN;
            }
            case 0x200B -> {
                return SEPARATOR; // ZERO WIDTH SPACE separates words in scripts written without spaces
            }
            default -> {
                // fall through to the category
            }
        }
        int type = Character.getType(cp);
        switch (type) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER -> {
                if (Character.isIdeographic(cp) || (cp >= 0x3041 && cp <= 0x309F)) {
                    return SOLO;
                }
                return WORD;
            }
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> {
                return Character.isIdeographic(cp) ? SOLO : WORD;
            }
            case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK -> {
                // Variation selectors are Mn, but only choose a glyph (emoji or text style).
                return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ? IGNORED : MARK;
            }
            case Character.FORMAT -> {
                return IGNORED;
            }
            default -> {
                return SEPARATOR;
            }
        }
    }

    private void append(int cp) {
        if (length + 2 > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
        }
        if (cp < 0x80) {
            buffer[length++] = (char) cp;
        } else {
            ascii = false;
            length += Character.toChars(cp, buffer, length);
        }
    }

    /** Hands over the word in the buffer, if any; returns 1 if there was one. */
    private int emit(Consumer<String> words) {
        if (length == 0) {
            return 0;
        }
        // A joiner is only appended when a letter follows, so a word never ends with one.
        String word = new String(buffer, 0, length);
        if (!ascii) {
            word = fold(word, marks);
        }
        words.accept(word);
        length = 0;
        ascii = true;
        marks = false;
        solo = false;
        return 1;
    }

    /** NFC, lower case by the root locale, i + U+0307 (from İ) → i, ß → ss: see the class comment. */
    static String fold(String word, boolean marks) {
        String folded = marks ? Normalizer.normalize(word, Normalizer.Form.NFC) : word;
        folded = folded.toLowerCase(Locale.ROOT);
        if (folded.indexOf('\u0307') >= 0) {
            // İ lower-cases to i + U+0307 (and an I + U+0307 typed apart was lower-cased letter by letter)
            folded = folded.replace("i\u0307", "i");
        }
        if (folded.indexOf('ß') >= 0) {
            folded = folded.replace("ß", "ss");
        }
        return folded;
    }
}
