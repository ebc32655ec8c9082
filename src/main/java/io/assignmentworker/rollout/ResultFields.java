package io.assignmentworker.rollout;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectMapper;

/**
 * The fields of a result that its rollout counts, as the worker writes them.
 *
 * @param rolloutId      {@code rolloutId}, or null
 * @param status         {@code status}, or null
 * @param alreadyExisted {@code alreadyExisted}; false when absent
 * @param category       {@code error.category}, or null
 * @param receivedAt     {@code receivedAt} if it is a string, else null
 * @param completedAt    {@code completedAt} if it is a string, else null
 */
record ResultFields(String rolloutId, String status, boolean alreadyExisted, String category, String receivedAt,
                    String completedAt) {

    /**
     * Reads them token by token, skipping the rest. Null when the bytes hold what the worker never writes there
     * (another type, a second document): the caller reads those as a tree, whose answer is the rule.
     */
    static ResultFields scan(ObjectMapper mapper, byte[] bytes) {
        try (JsonParser json = mapper.createParser(bytes)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Scan scan = new Scan();
            // The parser ends an object with END_OBJECT or throws: after the loop, only trailing content can remain.
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = json.currentName();
                json.nextToken();
                if (!scan.field(name, json)) {
                    return null;
                }
            }
            return json.nextToken() == null ? scan.fields() : null;
        } catch (JacksonException unreadable) {
            return null;
        }
    }

    /** What has been read so far; a field read twice keeps its last value, as a tree does. */
    private static final class Scan {
        private String rolloutId;
        private String status;
        private boolean alreadyExisted;
        private String category;
        private String receivedAt;
        private String completedAt;

        /** @return false when the field's value is not of the type the worker writes */
        boolean field(String name, JsonParser json) {
            JsonToken value = json.currentToken();
            switch (name) {
                case "rolloutId" -> {
                    if (!isStringOrNull(value)) {
                        return false;
                    }
                    rolloutId = json.getValueAsString(null);
                }
                case "status" -> {
                    if (!isStringOrNull(value)) {
                        return false;
                    }
                    status = json.getValueAsString(null);
                }
                case "alreadyExisted" -> {
                    if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                        return false;
                    }
                    alreadyExisted = value == JsonToken.VALUE_TRUE;
                }
                case "receivedAt" -> receivedAt = stringOrSkip(json);
                case "completedAt" -> completedAt = stringOrSkip(json);
                case "error" -> {
                    return error(json);
                }
                default -> json.skipChildren();
            }
            return true;
        }

        private boolean error(JsonParser json) {
            category = null;
            if (json.currentToken() != JsonToken.START_OBJECT) {
                return json.currentToken() == JsonToken.VALUE_NULL;
            }
            while (json.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                if (name.equals("category")) {
                    if (!isStringOrNull(value)) {
                        return false;
                    }
                    category = json.getValueAsString(null);
                } else {
                    json.skipChildren();
                }
            }
            return true;
        }

        ResultFields fields() {
            return new ResultFields(rolloutId, status, alreadyExisted, category, receivedAt, completedAt);
        }

        private static boolean isStringOrNull(JsonToken value) {
            return value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NULL;
        }

        private static String stringOrSkip(JsonParser json) {
            if (json.currentToken() == JsonToken.VALUE_STRING) {
                return json.getString();
            }
            json.skipChildren();
            return null;
        }
    }
}
