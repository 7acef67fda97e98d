package dev.eventsource.internal;

/**
 * Checks that text is valid Unicode before it is stored, and keeps huge values out of error
 * messages. PostgreSQL turns an unpaired UTF-16 surrogate into {@code ?} and cannot hold U+0000 in
 * a text column, so distinct Java strings would become one stored value; the engine refuses such
 * text instead, on every store alike.
 *
 * <pre>{@code
 * int bad = Text.invalidAt("alias\uD800", false);   // 5
 * String shown = Text.abbreviate(hugeId);          // "aaaa...aaaa" (1,000,000 chars)
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class Text {

    /** How many chars of a value an error message shows at most. */
    private static final int SHOWN = 64;

    private Text() {
    }

    /**
     * The index of the first char that makes {@code s} invalid, or {@code -1}: an unpaired surrogate
     * and, when {@code nulAllowed} is false, U+0000.
     */
    public static int invalidAt(String s, boolean nulAllowed) {
        int n = s.length();
        int i = 0;
        if (nulAllowed) {
            // The common case, payload text: one tight loop until the first surrogate (usually none).
            while (i < n && !Character.isSurrogate(s.charAt(i))) {
                i++;
            }
            if (i == n) {
                return -1;
            }
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < Character.MIN_SURROGATE) {
                if (c == 0 && !nulAllowed) {
                    return i;
                }
                continue;
            }
            if (c > Character.MAX_SURROGATE) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;                                   // a pair: one supplementary code point
                continue;
            }
            return i;
        }
        return -1;
    }

    /** What is wrong at {@code index} (from {@link #invalidAt}), e.g. "an unpaired surrogate U+D800 at index 5". */
    public static String problemAt(String s, int index) {
        char c = s.charAt(index);
        return (c == 0 ? "U+0000 (NUL)" : "an unpaired surrogate U+" + Integer.toHexString(c).toUpperCase()) + " at index "
                + index;
    }

    /** The value as an error message shows it: quoted, and cut in the middle when longer than 64 chars. */
    public static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        if (s.length() <= SHOWN) {
            return "'" + s + "'";
        }
        return String.format("'%s...%s' (%,d chars)", s.substring(0, SHOWN / 2), s.substring(s.length() - SHOWN / 4),
                s.length());
    }
}
