package io.assignmentworker.request;

/**
 * Whether bytes are ASCII without NUL: then they read the same as UTF-8 text and as bytes, and a JSON parser may take
 * them as they are. Jackson guesses the encoding of bytes from NUL bytes (UTF-16 and UTF-32 without a byte-order
 * mark) and skips a UTF-8 byte-order mark, so anything else must still be decoded as text first.
 */
public final class PlainAscii {

    private PlainAscii() {
    }

    public static boolean is(byte[] bytes) {
        for (byte b : bytes) {
            if (b <= 0) {
                return false;
            }
        }
        return true;
    }
}
