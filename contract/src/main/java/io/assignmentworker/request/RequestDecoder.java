package io.assignmentworker.request;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Front door of request reading: turns a record value into a {@link Decoded} and never throws.
 *
 * <p>Unknown fields are ignored so that producers may add their own; duplicate keys are refused because
 * they make the meaning of a message depend on the parser.
 */
public final class RequestDecoder {

    private final int maxBytes;
    private final JsonMapper mapper;
    private final RequestValidator validator;

    /**
     * @param maxBytes        larger values are unreadable (protects the worker's heap)
     * @param maxNestingDepth deeper JSON is unreadable (protects the parser's stack)
     */
    public RequestDecoder(int maxBytes, int maxNestingDepth) {
        this.maxBytes = maxBytes;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory).build();
        this.validator = new RequestValidator();
    }

    public Decoded decode(byte[] value) {
        if (value == null) {
            return new Decoded.Unreadable("record has no value (null/tombstone)");
        }
        if (value.length == 0) {
            return new Decoded.Unreadable("record value is empty");
        }
        if (value.length > maxBytes) {
            return new Decoded.Unreadable("record value is " + value.length + " bytes, over the limit of "
                    + maxBytes + " bytes (worker.intake.max-record-size)");
        }
        JsonNode root;
        try {
            root = PlainAscii.is(value) ? mapper.readTree(value) : readUtf8(value);
        } catch (CharacterCodingException e) {
            return new Decoded.Unreadable("record value is not valid UTF-8");
        } catch (JacksonException e) {
            return new Decoded.Unreadable("record value is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return new Decoded.Unreadable("record value is JSON but not an object");
        }
        return validator.validate(root);
    }

    /**
     * Checked strictly as UTF-8 first: the JSON parser does not refuse every malformed sequence. Most requests are
     * plain ASCII (ids and names), which is parsed from its bytes without a String copy ({@link PlainAscii}).
     */
    private JsonNode readUtf8(byte[] value) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(value)).toString();
        return mapper.readTree(text);
    }
}
