package io.assignmentworker.intake;

import java.util.Base64;
import java.util.BitSet;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Encodes, in a committed offset's metadata, which records after it already have a published outcome.
 * A partition commits its lowest unfinished offset; records finished after that one are listed here so that
 * after a restart they are skipped instead of answered twice. Bit {@code i} stands for {@code offset + i}.
 */
final class OffsetMetadata {

    private static final String PREFIX = "iaw1:";

    private OffsetMetadata() {
    }

    static String encode(long committedOffset, NavigableSet<Long> done) {
        if (done.isEmpty()) {
            return "";
        }
        BitSet bits = new BitSet();
        for (long offset : done) {
            bits.set(Math.toIntExact(offset - committedOffset));
        }
        return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(bits.toByteArray());
    }

    /** The finished offsets recorded with a commit; empty for metadata this worker did not write. */
    static NavigableSet<Long> decode(long committedOffset, String metadata) {
        NavigableSet<Long> done = new TreeSet<>();
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return done;
        }
        BitSet bits;
        try {
            bits = BitSet.valueOf(Base64.getDecoder().decode(metadata.substring(PREFIX.length())));
        } catch (IllegalArgumentException foreign) {
            return done;
        }
        bits.stream().forEach(i -> done.add(committedOffset + i));
        return done;
    }
}
