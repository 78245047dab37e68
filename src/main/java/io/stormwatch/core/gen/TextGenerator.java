package io.stormwatch.core.gen;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Writes lines of text for word-count: words drawn from a Zipf-distributed vocabulary, with punctuation,
 * capitals and a few emoji, deterministic per seed (the same options give the same bytes on any JVM:
 * {@link Random}, {@link StrictMath} and integer hashing only).
 *
 * <p>The vocabulary's first 200 or so words are a built-in pool ranked by popularity (English
 * function words first, with German, French, Spanish, Greek, Russian, Turkish, Arabic, Japanese and Chinese
 * words among them: {@code straße}, {@code οδός}, {@code привет}, {@code İstanbul}, {@code 東京}, ...). A
 * larger {@code vocabulary} adds synthesized words (syllables, {@code kalomi}, {@code zuréta}) drawn as
 * {@link Population} draws its tail: {@code n} lines over a vocabulary of about {@code 8n} words show most
 * of it, with the pool's words still on top — for cardinality tests.
 *
 * <p>A line: 2 % are empty, 1 % hold only punctuation and emoji (no words); the rest 1–16 words, the first
 * capitalized, some separated by commas or dashes, 3 % of words in capitals ({@code STRASSE}), 2 % in quotes,
 * 3 % followed by an emoji, most lines ending with {@code .}, {@code !} or {@code ?}.
 */
public final class TextGenerator {

    /** Ranked by popularity: rank 0 is the most frequent. */
    static final String[] POOL = {
        "the", "of", "and", "to", "a", "in", "is", "it", "you", "that", "he", "was", "for", "on", "are", "with",
        "as", "i", "his", "they", "be", "at", "one", "have", "this", "from", "or", "had", "by", "not", "word",
        "but", "what", "some", "we", "can", "out", "other", "were", "all", "there", "when", "up", "use", "your",
        "how", "said", "an", "each", "she", "which", "do", "their", "time", "if", "will", "way", "about", "many",
        "then", "them", "write", "would", "like", "so", "these", "her", "long", "make", "thing", "see", "him",
        "two", "has", "look", "more", "day", "could", "go", "come", "did", "number", "sound", "no", "most",
        "people", "my", "over", "know", "water", "than", "call", "first", "who", "may", "down", "side", "been",
        "now", "find", "don't", "it's", "well-known", "e-mail", "o'clock", "storm", "stream", "window", "spark",
        "die", "der", "und", "straße", "über", "größe", "schön", "mädchen", "le", "la", "été", "français", "à",
        "noël", "garçon", "el", "niño", "español", "mañana", "año", "καλημέρα", "οδός", "σοφία", "λόγος",
        "привет", "мир", "ёлка", "спасибо", "город", "İstanbul", "ılık", "güzel", "şehir", "مرحبا", "كتاب",
        "سلام", "東京", "日本語", "ありがとう", "タワー", "你好", "世界", "안녕하세요", "café", "naïve", "résumé",
        "coöperate", "jalapeño", "piñata", "fiancée", "über-cool", "l'homme", "aujourd'hui", "rock'n'roll",
        "data", "batch", "event", "topology", "bolt", "spout", "tuple", "count", "line", "text", "network",
        "socket", "kafka", "cluster", "worker", "apache", "java", "scala", "log", "file", "state", "redis",
        "river", "mountain", "forest", "ocean", "city", "night", "light", "house", "garden", "music", "book",
    };

    private static final String[] SYLLABLES = {
        "ka", "lo", "mi", "zu", "re", "ta", "ne", "so", "vi", "du", "pe", "ra", "ko", "li", "ma", "nu",
        "ré", "sø", "ñe", "ti", "be", "fo", "gi", "ha", "jo", "ku", "wa", "ye", "xo", "qi", "ze", "pu",
    };

    private static final String[] EMOJI = {"😀", "👍", "❤️", "🎉", "🇺🇸", "🔥", "👋🏽", "✨"};

    /**
     * @param lines      how many lines to write
     * @param seed       the random seed
     * @param vocabulary how many distinct words there are, at least 1 (the pool: {@link #POOL}'s length)
     */
    public record Options(long lines, long seed, int vocabulary) {
        public Options {
            if (lines < 0) {
                throw new IllegalArgumentException("lines must be >= 0: " + lines);
            }
            if (vocabulary < 1) {
                throw new IllegalArgumentException("vocabulary must be >= 1: " + vocabulary);
            }
        }

        /** The built-in vocabulary. */
        public Options(long lines, long seed) {
            this(lines, seed, POOL.length);
        }
    }

    /** The size of the built-in vocabulary. */
    public static int poolSize() {
        return POOL.length;
    }

    private final Options options;
    private final Random random;
    private final Population words;
    private final StringBuilder line = new StringBuilder(256);
    private long written;

    public TextGenerator(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
        this.words = new Population(options.vocabulary(), POOL.length, 1.0, Permutation.mix(options.seed() ^ 0x7E57L));
    }

    /** Writes every line, each followed by {@code \n}, as UTF-8. */
    public void writeTo(OutputStream out) throws IOException {
        while (written < options.lines()) {
            out.write(nextLine().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
    }

    /** The next line, without its terminator. */
    public String nextLine() {
        written++;
        line.setLength(0);
        double kind = random.nextDouble();
        if (kind < 0.02) {
            return "";
        }
        if (kind < 0.03) {
            return "— " + EMOJI[random.nextInt(EMOJI.length)] + " ...";
        }
        int n = 1 + random.nextInt(16);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                double separator = random.nextDouble();
                line.append(separator < 0.08 ? ", " : separator < 0.10 ? " — " : separator < 0.11 ? "; " : " ");
            }
            String word = word(words.draw(random.nextDouble()));
            double style = random.nextDouble();
            if (style < 0.03) {
                word = word.toUpperCase(Locale.ROOT);
            } else if (i == 0) {
                word = capitalized(word);
            }
            if (style >= 0.03 && style < 0.05) {
                line.append('"').append(word).append('"');
            } else {
                line.append(word);
            }
            if (random.nextDouble() < 0.03) {
                line.append(' ').append(EMOJI[random.nextInt(EMOJI.length)]);
            }
        }
        double end = random.nextDouble();
        line.append(end < 0.7 ? "." : end < 0.8 ? "!" : end < 0.9 ? "?" : "");
        return line.toString();
    }

    /** The word of vocabulary index {@code index}: a pool word, or syllables spelling the index. */
    static String word(int index) {
        if (index < POOL.length) {
            return POOL[index];
        }
        // Three syllables at least: never one of the pool's (mostly shorter) words.
        StringBuilder w = new StringBuilder();
        int rest = index - POOL.length;
        for (int i = 0; i < 3 || rest > 0; i++) {
            w.append(SYLLABLES[rest & 31]);
            rest >>>= 5;
        }
        return w.toString();
    }

    private static String capitalized(String word) {
        int first = word.codePointAt(0);
        int upper = Character.toTitleCase(first);
        return upper == first ? word : new StringBuilder().appendCodePoint(upper).append(word, Character.charCount(first),
                word.length()).toString();
    }
}
