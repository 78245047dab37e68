package io.stormwatch.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tokenizer's rules, one row each: what a word is in several scripts, how it is case-folded, and what is
 * not a word. Expected words are written with "|" between them; an empty string means no words.
 */
class TokenizerTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                // ASCII, white space and punctuation
                row("plain", "hello world", "hello|world"),
                row("case folded", "Hello HELLO hello", "hello|hello|hello"),
                row("punctuation splits", "Hi, there! (yes) \"no\"; a.b/c", "hi|there|yes|no|a|b|c"),
                row("tabs and runs of spaces", "\t a \t\t b  ", "a|b"),
                row("digits are words", "route 66 in 2024", "route|66|in|2024"),
                row("a decimal point splits", "3.14", "3|14"),
                row("underscore splits", "snake_case", "snake|case"),
                row("no words", "  ... --- !!! ", ""),
                row("empty", "", ""),
                // apostrophes and hyphens
                row("apostrophe inside", "don't l'homme O'Brien", "don't|l'homme|o'brien"),
                row("typographic apostrophe is '", "don’t DON'T", "don't|don't"),
                row("apostrophes at the edges", "'quoted' dogs' 'tis", "quoted|dogs|tis"),
                row("hyphen inside", "e-mail well-known Jean-Luc", "e-mail|well-known|jean-luc"),
                row("unicode hyphens are -", "e‐mail e‑mail", "e-mail|e-mail"),
                row("doubled or spaced joiners split", "a--b c - d e''f", "a|b|c|d|e|f"),
                row("joiner before a non-letter", "x-! y'?", "x|y"),
                // Latin with diacritics, NFC/NFD
                row("German", "Größe über Äpfel", "grösse|über|äpfel"),
                row("ß folds to ss", "Straße STRASSE strasse STRAẞE", "strasse|strasse|strasse|strasse"),
                row("NFD is composed", "cafe\u0301 café CAFÉ", "café|café|café"),
                row("French", "L'été dernier, à Noël", "l'été|dernier|à|noël"),
                // Greek: final sigma in context
                row("Greek final sigma", "ΟΔΟΣ οδος Οδός", "οδος|οδος|οδός"),
                row("Greek sigma inside stays σ", "ΣΟΦΙΑ σοφία", "σοφια|σοφία"),
                // Turkish
                row("Turkish dotted I", "İstanbul İSTANBUL istanbul", "istanbul|istanbul|istanbul"),
                row("I is i, ı stays ı", "ILIK ılık", "ilik|ılık"),
                row("I + combining dot is İ, then i", "I\u0307stanbul", "istanbul"),
                // Cyrillic
                row("Russian", "Привет, МИР! Ёлка", "привет|мир|ёлка"),
                // CJK
                row("Han one per character", "東京は日本の首都", "東|京|は|日|本|の|首|都"),
                row("Katakana runs stay whole", "東京タワー", "東|京|タワー"),
                row("Chinese with full-width punctuation", "你好，世界。", "你|好|世|界"),
                row("Korean words", "안녕하세요 세계", "안녕하세요|세계"),
                row("CJK next to Latin", "iPhone用ケース", "iphone|用|ケース"),
                // Arabic, Hebrew, Devanagari
                row("Arabic with comma", "مرحبا، بالعالم", "مرحبا|بالعالم"),
                row("Arabic vowel marks stay", "كِتَابٌ", "كِتَابٌ"),
                row("Arabic-Indic digits", "٢٠٢٤ سنة", "٢٠٢٤|سنة"),
                row("Hebrew", "שלום עולם", "שלום|עולם"),
                row("Devanagari marks", "नमस्ते दुनिया", "नमस्ते|दुनिया"),
                // emoji and symbols are not words
                row("emoji", "I ❤️ NY 🇺🇸 😀😀", "i|ny"),
                row("emoji glued to words", "fun😀times", "fun|times"),
                row("skin tones and ZWJ sequences", "hi 👋🏽 👨‍👩‍👧 bye", "hi|bye"),
                row("keycap keeps its digit", "1️⃣ #️⃣", "1"),
                row("symbols", "a+b=c $5 €10 © ™ ½", "a|b|c|5|10|½"),
                row("math letters are letters without a lower case", "𝐀𝐁𝐂 ok", "𝐀𝐁𝐂|ok"),
                // invisible characters
                row("soft hyphen and bidi marks dropped", "co\u00ADoperate \u200Eabc\u200F", "cooperate|abc"),
                row("zero width space separates", "a\u200Bb", "a|b"),
                row("BOM dropped", "\uFEFFhello", "hello"),
                row("leading combining mark dropped", "\u0301abc", "abc"),
                row("compatibility forms are kept", "ﬁne ＡＢＣ", "ﬁne|ａｂｃ"));
    }

    private static Arguments row(String what, String line, String words) {
        return Arguments.of(what, line, words.isEmpty() ? List.of() : Arrays.asList(words.split("\\|")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("lines")
    void splitsAndFolds(String what, String line, List<String> expected) {
        Tokenizer tokenizer = new Tokenizer();
        List<String> words = new ArrayList<>();

        int count = tokenizer.tokenize(line, words::add);

        assertThat(words).as(what).containsExactlyElementsOf(expected);
        assertThat(count).isEqualTo(expected.size());
    }

    @Test
    void aTokenizerIsReusedLineAfterLine() {
        Tokenizer tokenizer = new Tokenizer();

        assertThat(tokenizer.words("ÄÖÜ 東京 end-")).containsExactly("äöü", "東", "京", "end");
        assertThat(tokenizer.words("next line")).containsExactly("next", "line");
    }

    @Test
    void foldingDoesNotDependOnTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertThat(new Tokenizer().words("TITLE İZMİR")).containsExactly("title", "izmir");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void longWordsGrowTheBuffer() {
        String word = "ä".repeat(500) + "b".repeat(500);

        assertThat(new Tokenizer().words(word.toUpperCase(Locale.ROOT) + " x")).containsExactly(word, "x");
    }
}
