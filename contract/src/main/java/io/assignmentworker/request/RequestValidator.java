package io.assignmentworker.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Checks a parsed request against the published contract, collecting every violation. */
final class RequestValidator {

    private static final Pattern COLLECTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_ID_LENGTH = 200;
    private static final String ASSIGNMENT_TYPE = "microsoft.graph.deviceCompliancePolicyAssignment";

    Decoded validate(JsonNode root) {
        List<String> violations = new ArrayList<>();
        String requestId = printable(root, "requestId", true, violations);
        String tenantId = guid(root, "tenantId", false, violations);
        String policyId = guid(root, "policyId", true, violations);
        String rolloutId = printable(root, "rolloutId", false, violations);
        Operation operation = enumValue(root, "operation", "", Operation.CREATE, Operation::fromWireName,
                "create, remove, update", violations);
        Optional<ValidAssignment> assignment = assignment(root.get("assignment"), violations);
        AssignmentTarget expected = expected(root.get("expected"), operation, violations);
        if (!violations.isEmpty() || assignment.isEmpty()) {
            return new Decoded.Rejected(requestId, rolloutId, tenantId, policyId, violations);
        }
        ValidAssignment a = assignment.get();
        return new Decoded.Valid(new AssignmentRequest(requestId, tenantId, policyId, rolloutId, a.target(),
                a.source(), a.sourceId(), operation, expected));
    }

    /** {@code expected.target}: for updates only, the assignment the subject must have now. */
    private static AssignmentTarget expected(JsonNode node, Operation operation, List<String> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (operation != Operation.UPDATE) {
            violations.add("expected: is allowed only with operation update");
            return null;
        }
        if (!node.isObject()) {
            violations.add("expected: must be an object");
            return null;
        }
        Optional<AssignmentTarget> target = new TargetValidator("expected.target.").validate(node.get("target"),
                violations);
        if (target.isEmpty()) {
            return null;
        }
        return target.get();
    }

    private record ValidAssignment(AssignmentTarget target, AssignmentSource source, String sourceId) {
    }

    private Optional<ValidAssignment> assignment(JsonNode node, List<String> violations) {
        if (node == null || node.isNull()) {
            violations.add("assignment: is required");
            return Optional.empty();
        }
        if (!node.isObject()) {
            violations.add("assignment: must be an object");
            return Optional.empty();
        }
        String type = string(node, "@odata.type", "assignment.", violations);
        if (type != null && !type.equals(ASSIGNMENT_TYPE) && !type.equals("#" + ASSIGNMENT_TYPE)) {
            violations.add("assignment.@odata.type: must be #" + ASSIGNMENT_TYPE + ", got " + quote(type));
        }
        AssignmentSource source = enumValue(node, "source", "assignment.", AssignmentSource.DIRECT,
                AssignmentSource::fromGraphName, "direct, policySets", violations);
        String sourceId = string(node, "sourceId", "assignment.", violations);
        Optional<AssignmentTarget> target = new TargetValidator().validate(node.get("target"), violations);
        return target.map(t -> new ValidAssignment(t, source, sourceId));
    }

    static boolean isCollectionId(String value) {
        return COLLECTION_ID.matcher(value).matches();
    }

    /** Reads an optional string field; a non-string value is a violation. */
    static String string(JsonNode parent, String field, String path, List<String> violations) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            violations.add(path + field + ": must be a string");
            return null;
        }
        return node.stringValue();
    }

    static String guid(JsonNode parent, String field, String path, boolean required, List<String> violations) {
        String value = string(parent, field, path, violations);
        if (value == null) {
            if (required && !violations.contains(path + field + ": must be a string")) {
                violations.add(path + field + ": is required");
            }
            return null;
        }
        if (!Guid.isGuid(value)) {
            violations.add(path + field + ": must be a GUID (8-4-4-4-12 hex digits), got " + quote(value));
            return null;
        }
        return value;
    }

    private static String guid(JsonNode root, String field, boolean required, List<String> violations) {
        return guid(root, field, "", required, violations);
    }

    private static String printable(JsonNode root, String field, boolean required, List<String> violations) {
        String value = string(root, field, "", violations);
        if (value == null) {
            if (required && !violations.contains(field + ": must be a string")) {
                violations.add(field + ": is required");
            }
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            violations.add(field + ": must be 1 to " + MAX_ID_LENGTH + " characters, got " + value.length());
            return null;
        }
        if (value.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c) && c != ' ')) {
            violations.add(field + ": must contain printable characters only");
            return null;
        }
        return value;
    }

    static <E> E enumValue(JsonNode parent, String field, String path, E absent,
                           Function<String, Optional<E>> parse, String accepted, List<String> violations) {
        String value = string(parent, field, path, violations);
        if (value == null) {
            return absent;
        }
        Optional<E> parsed = parse.apply(value);
        if (parsed.isEmpty()) {
            violations.add(path + field + ": must be one of " + accepted + ", got " + quote(value));
            return absent;
        }
        return parsed.get();
    }

    static String quote(String value) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
        return "\"" + shown + "\"";
    }
}
