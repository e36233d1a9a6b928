package io.callpulse.ingest;

/** UTF-8 sizes of text, counted without encoding it. */
public final class Utf8 {

    private Utf8() {}

    /** How many bytes {@code text} takes in UTF-8 (an unpaired surrogate counts as '?', 1). */
    public static int length(CharSequence text) {
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int width = width(text, i);
            bytes += bytesOf(text, i, width);
            i += width;
        }
        return bytes;
    }

    /**
     * The number of chars of {@code text} that fit in {@code maxBytes} of UTF-8, never splitting a
     * surrogate pair.
     */
    public static int charsWithin(CharSequence text, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int width = width(text, i);
            int bytesOfChar = bytesOf(text, i, width);
            if (bytes + bytesOfChar > maxBytes) {
                break;
            }
            bytes += bytesOfChar;
            i += width;
        }
        return i;
    }

    /** 2 for a surrogate pair starting at {@code i}, else 1. */
    private static int width(CharSequence text, int i) {
        return Character.isHighSurrogate(text.charAt(i))
                        && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))
                ? 2
                : 1;
    }

    private static int bytesOf(CharSequence text, int i, int width) {
        if (width == 2) {
            return 4;
        }
        char c = text.charAt(i);
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        // a lone surrogate is encoded as '?' by Java's UTF-8 encoder
        return Character.isSurrogate(c) ? 1 : 3;
    }
}
