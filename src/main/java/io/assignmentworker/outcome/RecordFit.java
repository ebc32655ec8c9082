package io.assignmentworker.outcome;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Cuts a record the worker copies from its input (a dead letter, a forward) to a size Kafka accepts. The copy
 * gains headers, so an input record just under the broker's limit would otherwise be refused, fail its whole
 * transaction and be read again forever. What is cut is said in headers, with the original size and a SHA-256,
 * so the original can still be found and matched upstream.
 */
public final class RecordFit {

    /** Set when the value was cut: {@code size=<original bytes>; sha256=<hex of the original>}. */
    public static final String VALUE_CUT = "iaw-cut-value";
    /** Set when the key was cut: {@code size=<original bytes>; sha256=<hex of the original>}. */
    public static final String KEY_CUT = "iaw-cut-key";
    /**
     * Set when headers were left out: {@code kept=<n>/<total>; size=<original bytes of all headers>;
     * sha256=<hex over every original header's key and value>}.
     */
    public static final String HEADERS_CUT = "iaw-cut-headers";

    /** A record's framing beyond its key, value and headers (batch header, lengths, offsets), with room to spare. */
    private static final int RECORD_OVERHEAD = 256;
    /** Per header: its length fields. */
    private static final int HEADER_OVERHEAD = 10;
    /** Room kept for the three cut headers. */
    private static final int CUT_HEADERS_ROOM = 3 * (HEADER_OVERHEAD + 20 + 120);
    private static final int MAX_KEY = 4 * 1024;

    private RecordFit() {
    }

    /** A record as the worker will send it. */
    public record Fitted(byte[] key, byte[] value, Headers headers) {
    }

    /**
     * The record, cut so that it fits {@code limit} bytes on the wire: the key beyond 4 KiB, the original headers
     * beyond {@code headerBudget} (in order, each whole or not at all), and then the value.
     *
     * @param added headers the worker adds (always kept, after the original ones)
     */
    public static Fitted fit(byte[] key, byte[] value, Iterable<Header> original, List<Header> added,
                             int headerBudget, int limit) {
        RecordHeaders headers = keep(original, headerBudget, name -> false);
        byte[] fittedKey = key;
        if (key != null && key.length > MAX_KEY) {
            fittedKey = Arrays.copyOf(key, MAX_KEY);
            headers.add(KEY_CUT, describe(key.length, sha256(key)));
        }
        added.forEach(headers::add);
        int room = limit - RECORD_OVERHEAD - CUT_HEADERS_ROOM - size(fittedKey) - size(headers);
        byte[] fittedValue = value;
        if (value != null && value.length > Math.max(room, 0)) {
            fittedValue = Arrays.copyOf(value, Math.max(room, 0));
            headers.add(VALUE_CUT, describe(value.length, sha256(value)));
        }
        return new Fitted(fittedKey, fittedValue, headers);
    }

    /**
     * The headers that fit {@code budget} bytes, in order, leaving out those {@code skip} names; when any other is
     * left out, a {@link #HEADERS_CUT} header says so.
     */
    public static RecordHeaders keep(Iterable<Header> original, int budget, Predicate<String> skip) {
        RecordHeaders kept = new RecordHeaders();
        if (original == null) {
            return kept;
        }
        int total = 0;
        int count = 0;
        int used = 0;
        for (Header header : original) {
            if (skip.test(header.key())) {
                continue;
            }
            int size = size(header);
            total += size;
            count++;
            if (used + size <= budget) {
                kept.add(header.key(), header.value());
                used += size;
            }
        }
        int keptCount = kept.toArray().length;
        if (keptCount < count) {
            // Only now, on the rare record that is cut, is the hash of what it had worth its cost.
            MessageDigest all = digest();
            for (Header header : original) {
                if (!skip.test(header.key())) {
                    all.update(header.key().getBytes(StandardCharsets.UTF_8));
                    if (header.value() != null) {
                        all.update(header.value());
                    }
                }
            }
            kept.add(HEADERS_CUT, ("kept=" + keptCount + "/" + count + "; size=" + total + "; sha256="
                    + HexFormat.of().formatHex(all.digest())).getBytes(StandardCharsets.UTF_8));
        }
        return kept;
    }

    /** The bytes headers take on the wire, near enough to budget with. */
    public static int size(Headers headers) {
        int size = 0;
        for (Header header : headers) {
            size += size(header);
        }
        return size;
    }

    private static int size(Header header) {
        return HEADER_OVERHEAD + header.key().getBytes(StandardCharsets.UTF_8).length + size(header.value());
    }

    private static int size(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] describe(int size, String sha256) {
        return ("size=" + size + "; sha256=" + sha256).getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
