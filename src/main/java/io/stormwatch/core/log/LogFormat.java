package io.stormwatch.core.log;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An Apache {@code LogFormat} string compiled into the steps {@link LogFormatParser} runs: literal text to
 * match and fields to read. Immutable.
 *
 * <p>Compilation rules (each violation is an {@link IllegalArgumentException} naming the problem):
 * <ul>
 *   <li>Directives: see {@link Directive}; {@code %%} is a literal {@code %}. Escapes {@code \"},
 *       {@code \\} and {@code \t} may be written as in {@code httpd.conf}. Conditions and other modifiers
 *       ({@code %!200s}, {@code %<s}) are not supported.</li>
 *   <li>A field is <em>quoted</em> when the literal before it ends with {@code "} and the literal after it
 *       starts with {@code "}: it then ends at the next {@code "} that is not escaped, and {@code \"} and
 *       {@code \\} in it are unescaped. An unquoted field ends where the first character of the literal
 *       after it next occurs, or at the end of the line when it is the last step.</li>
 *   <li>Two directives must be separated by literal text, and an unquoted {@code %r} must not be followed by
 *       a space (a request line has spaces in it): both would be ambiguous.</li>
 *   <li>The format must carry the client ({@code %h} or {@code %a}), the time ({@code %t}), the request
 *       ({@code %r}) and the status ({@code %>s} or {@code %s}): every statistic needs them.</li>
 *   <li>When several directives feed the same record field, the one listed first in {@link Directive} wins
 *       (e.g. {@code %>s} over {@code %s}); the others are still checked for shape.</li>
 * </ul>
 */
final class LogFormat {

    /** The kind of text a field holds, which decides how it is checked. */
    enum Shape {
        /** Free text without spaces (when unquoted). */
        WORD,
        /** Free text, may contain spaces. */
        TEXT,
        /** {@code [dd/Mon/yyyy:HH:mm:ss ±hhmm]}. */
        TIME,
        /** Exactly three digits. */
        STATUS,
        /** Digits, or {@code -}. */
        SIZE,
        /** Digits. */
        NUMBER
    }

    /** The {@link LogRecord} component a field fills. */
    enum Target { CLIENT, IDENT, USER, TIME, REQUEST, STATUS, BYTES, DURATION, VHOST, REFERER, USER_AGENT, NONE }

    /**
     * The supported directives. Within one {@link Target}, earlier constants take precedence. Headers other
     * than Referer and User-Agent, and the listed server-side directives, are read and ignored.
     */
    enum Directive {
        REMOTE_HOST("%h", Shape.WORD, Target.CLIENT, 0),
        REMOTE_IP("%a", Shape.WORD, Target.CLIENT, 0),
        IDENT("%l", Shape.WORD, Target.IDENT, 0),
        USER("%u", Shape.WORD, Target.USER, 0),
        TIME("%t", Shape.TIME, Target.TIME, 0),
        REQUEST("%r", Shape.TEXT, Target.REQUEST, 0),
        FINAL_STATUS("%>s", Shape.STATUS, Target.STATUS, 0),
        STATUS("%s", Shape.STATUS, Target.STATUS, 0),
        BODY_BYTES_CLF("%b", Shape.SIZE, Target.BYTES, 0),
        BODY_BYTES("%B", Shape.SIZE, Target.BYTES, 0),
        /** Debian's default formats log {@code %O} (bytes sent, headers included) instead of {@code %b}. */
        SENT_BYTES("%O", Shape.SIZE, Target.BYTES, 0),
        DURATION_MICROS("%D", Shape.NUMBER, Target.DURATION, 1),
        DURATION_US("%{us}T", Shape.NUMBER, Target.DURATION, 1),
        DURATION_MS("%{ms}T", Shape.NUMBER, Target.DURATION, 1_000),
        DURATION_SECONDS("%T", Shape.NUMBER, Target.DURATION, 1_000_000),
        VIRTUAL_HOST("%v", Shape.WORD, Target.VHOST, 0),
        SERVER_NAME("%V", Shape.WORD, Target.VHOST, 0),
        REFERER("%{Referer}i", Shape.TEXT, Target.REFERER, 0),
        USER_AGENT("%{User-Agent}i", Shape.TEXT, Target.USER_AGENT, 0),
        /** Any other {@code %{Name}i}, {@code o}, {@code e}, {@code n} or {@code C}. */
        OTHER_VALUE("%{...}i", Shape.TEXT, Target.NONE, 0),
        /** {@code %A %I %k %L %p %P %X}. */
        OTHER_WORD("%A", Shape.WORD, Target.NONE, 0);

        final String text;
        final Shape shape;
        final Target target;
        /** For durations: microseconds per unit. */
        final long micros;

        Directive(String text, Shape shape, Target target, long micros) {
            this.text = text;
            this.shape = shape;
            this.target = target;
            this.micros = micros;
        }
    }

    /** One step of matching. */
    sealed interface Step permits Literal, Field {}

    /** Text the line must contain here, exactly. */
    record Literal(String text) implements Step {}

    /**
     * A field to read.
     *
     * @param directive what it is
     * @param label     how the format wrote it, for rejection details
     * @param fills     whether its value goes into the record (false for a shadowed duplicate or an ignored one)
     * @param quoted    see the class comment
     * @param delimiter for an unquoted field, the character that ends it; {@link #TO_END_OF_LINE} when last
     */
    record Field(Directive directive, String label, boolean fills, boolean quoted, int delimiter)
            implements Step {}

    static final int TO_END_OF_LINE = -1;

    private static final String SUPPORTED = "%h %a %l %u %t %r %>s %s %b %B %O %D %T %{us|ms|s}T %v %V "
            + "%{Name}i %{Name}o %{Name}e %{Name}n %{Name}C %A %I %k %L %p %P %X %%";

    final String source;
    final Step[] steps;
    /**
     * The line may end right after this many steps (the rest of the format is then absent). Equal to
     * {@code steps.length} unless an optional tail was declared.
     */
    final int requiredSteps;
    /** Whether whitespace-separated fields may follow the last step; the first one fills the vhost. */
    final boolean extraFields;

    private LogFormat(String source, Step[] steps, int requiredSteps, boolean extraFields) {
        this.source = source;
        this.steps = steps;
        this.requiredSteps = requiredSteps;
        this.extraFields = extraFields;
    }

    /** A copy that accepts extra fields after the last step. */
    LogFormat withExtraFields() {
        return new LogFormat(source, steps, requiredSteps, true);
    }

    /** A copy that also accepts lines ending right after {@code prefix}'s steps, which must be its own first ones. */
    LogFormat withOptionalTailAfter(LogFormat prefix) {
        for (int i = 0; i < prefix.steps.length; i++) {
            Step mine = steps[i];
            Step theirs = prefix.steps[i];
            boolean same = mine instanceof Field f && theirs instanceof Field g
                    ? f.directive() == g.directive() && f.quoted() == g.quoted()
                    : mine.equals(theirs);
            if (!same) {
                throw new IllegalArgumentException("'" + prefix.source + "' is not a prefix of '" + source + "'");
            }
        }
        return new LogFormat(source, steps, prefix.steps.length, extraFields);
    }

    /** Compiles an Apache {@code LogFormat} string; see the class comment for the rules. */
    static LogFormat compile(String format) {
        List<Object> parts = tokenize(format);
        Step[] steps = new Step[parts.size()];
        Map<Target, Integer> winner = new EnumMap<>(Target.class);
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof Parsed p && p.directive.target != Target.NONE) {
                Integer best = winner.get(p.directive.target);
                if (best == null || ((Parsed) parts.get(best)).directive.ordinal() > p.directive.ordinal()) {
                    winner.put(p.directive.target, i);
                }
            }
        }
        for (Target required : List.of(Target.CLIENT, Target.TIME, Target.REQUEST, Target.STATUS)) {
            if (!winner.containsKey(required)) {
                throw new IllegalArgumentException("log format '" + format + "' has no " + describe(required)
                        + ": stormwatch needs the client, time, request and status of every line");
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i) instanceof String text) {
                steps[i] = new Literal(text);
                continue;
            }
            Parsed p = (Parsed) parts.get(i);
            String before = i > 0 && parts.get(i - 1) instanceof String s ? s : null;
            String after = i + 1 < parts.size() && parts.get(i + 1) instanceof String s ? s : null;
            if (i + 1 < parts.size() && after == null) {
                throw new IllegalArgumentException("log format '" + format + "': " + p.label + " and "
                        + ((Parsed) parts.get(i + 1)).label + " must be separated by literal text");
            }
            boolean quoted = before != null && before.endsWith("\"") && after != null && after.startsWith("\"");
            if (p.directive == Directive.REQUEST && !quoted && after != null && after.charAt(0) == ' ') {
                throw new IllegalArgumentException("log format '" + format
                        + "': an unquoted %r must be last or not followed by a space; write \\\"%r\\\"");
            }
            int delimiter = quoted || after == null ? TO_END_OF_LINE : after.charAt(0);
            boolean fills = p.directive.target != Target.NONE && winner.get(p.directive.target) == i;
            steps[i] = new Field(p.directive, p.label, fills, quoted, delimiter);
        }
        return new LogFormat(format, steps, steps.length, false);
    }

    /** A directive as written: which one, and its text. */
    private record Parsed(Directive directive, String label) {}

    /** Splits a format into literal strings (adjacent text merged) and {@link Parsed} directives. */
    private static List<Object> tokenize(String format) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c == '\\') {
                if (i + 1 == format.length()) {
                    throw new IllegalArgumentException("log format '" + format + "' ends with a backslash");
                }
                char escaped = format.charAt(i + 1);
                literal.append(switch (escaped) {
                    case '"' -> '"';
                    case '\\' -> '\\';
                    case 't' -> '\t';
                    default -> throw new IllegalArgumentException("log format '" + format
                            + "': unsupported escape \\" + escaped + " (supported: \\\" \\\\ \\t)");
                });
                i += 2;
            } else if (c != '%') {
                if (c < 0x20 && c != '\t') {
                    throw new IllegalArgumentException("log format '" + format.replace('\n', ' ')
                            + "' contains a control character");
                }
                literal.append(c);
                i++;
            } else if (i + 1 < format.length() && format.charAt(i + 1) == '%') {
                literal.append('%');
                i += 2;
            } else {
                int end = directiveEnd(format, i);
                Directive directive = directive(format, format.substring(i, end));
                if (literal.length() > 0) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(new Parsed(directive, format.substring(i, end)));
                i = end;
            }
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return parts;
    }

    /** Index just past the directive starting at {@code start}: {@code %}, optional {@code >}/{@code {..}}, a letter. */
    private static int directiveEnd(String format, int start) {
        int i = start + 1;
        if (i < format.length() && format.charAt(i) == '>') {
            i++;
        }
        if (i < format.length() && format.charAt(i) == '{') {
            int close = format.indexOf('}', i);
            if (close < 0) {
                throw new IllegalArgumentException("log format '" + format + "': unclosed { at column " + (i + 1));
            }
            i = close + 1;
        }
        if (i >= format.length()) {
            throw new IllegalArgumentException("log format '" + format + "' ends inside a directive");
        }
        return i + 1;
    }

    private static Directive directive(String format, String text) {
        char letter = text.charAt(text.length() - 1);
        String argument = text.indexOf('{') > 0 ? text.substring(text.indexOf('{') + 1, text.length() - 2) : null;
        String plain = argument == null ? text : null;
        if ("%>s".equals(plain)) {
            return Directive.FINAL_STATUS;
        }
        if (plain != null) {
            for (Directive d : Directive.values()) {
                if (d.text.equals(plain) && d != Directive.OTHER_WORD && d != Directive.OTHER_VALUE) {
                    return d;
                }
            }
            if ("AIkLpPX".indexOf(letter) >= 0 && text.length() == 2) {
                return Directive.OTHER_WORD;
            }
        } else if (!text.startsWith("%>")) {
            if (letter == 'i' && argument.equalsIgnoreCase("Referer")) {
                return Directive.REFERER;
            }
            if (letter == 'i' && argument.equalsIgnoreCase("User-Agent")) {
                return Directive.USER_AGENT;
            }
            if ("ioenC".indexOf(letter) >= 0 && !argument.isEmpty()) {
                return Directive.OTHER_VALUE;
            }
            if (letter == 'T') {
                switch (argument.toLowerCase(Locale.ROOT)) {
                    case "us": return Directive.DURATION_US;
                    case "ms": return Directive.DURATION_MS;
                    case "s": return Directive.DURATION_SECONDS;
                    default: break;
                }
            }
        }
        throw new IllegalArgumentException("log format '" + format + "': unsupported directive " + text
                + " (supported: " + SUPPORTED + ")");
    }

    private static String describe(Target target) {
        return switch (target) {
            case CLIENT -> "client (%h or %a)";
            case TIME -> "time (%t)";
            case REQUEST -> "request (%r)";
            case STATUS -> "status (%>s or %s)";
            default -> target.name();
        };
    }

    @Override
    public String toString() {
        return source;
    }
}
