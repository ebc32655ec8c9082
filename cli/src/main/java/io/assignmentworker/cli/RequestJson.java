package io.assignmentworker.cli;

import io.assignmentworker.request.TargetJson;
import io.assignmentworker.request.TargetType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the request JSON of the published contract ({@code schemas/assignment-request.schema.json}) from a
 * line of a file, and reads a request back into the file's columns. Values pass through unchecked: the worker's
 * own validation judges them afterwards, so the tool and the worker always agree.
 */
final class RequestJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();
    static final String FILTER_ID = TargetJson.FILTER_ID;
    static final String FILTER_TYPE = TargetJson.FILTER_TYPE;
    private static final String ASSIGNMENT_TYPE = "#microsoft.graph.deviceCompliancePolicyAssignment";

    private RequestJson() {
    }

    /** A request without requestId and rolloutId from the columns (absent or empty = not given). */
    static ObjectNode fromColumns(Map<String, String> columns, List<String> problems) {
        ObjectNode request = MAPPER.createObjectNode();
        putIfPresent(request, "tenantId", columns.get("tenantId"));
        putIfPresent(request, "policyId", columns.get("policyId"));
        putIfPresent(request, "operation", columns.get("operation"));
        ObjectNode assignment = request.putObject("assignment");
        assignment.put("@odata.type", ASSIGNMENT_TYPE);
        ObjectNode target = assignment.putObject("target");
        String type = columns.get("targetType");
        if (type == null) {
            problems.add("targetType: is required, one of " + TargetNames.ACCEPTED);
        } else {
            TargetNames.parse(type).ifPresentOrElse(t -> target.put("@odata.type", t.odataType()),
                    () -> problems.add("targetType: must be one of " + TargetNames.ACCEPTED + ", got \"" + type
                            + "\""));
        }
        putIfPresent(target, "groupId", columns.get("groupId"));
        putIfPresent(target, "collectionId", columns.get("collectionId"));
        putIfPresent(target, FILTER_ID, columns.get("filterId"));
        putIfPresent(target, FILTER_TYPE, columns.get("filterType"));
        String source = columns.get("source");
        assignment.put("source", source == null ? "direct" : source);
        putIfPresent(assignment, "sourceId", columns.get("sourceId"));
        return request;
    }

    /** The columns of a request as the worker read it (keys of {@link InputFormat#COLUMNS}; absent = null). */
    static Map<String, String> toColumns(JsonNode request) {
        JsonNode assignment = request.path("assignment");
        JsonNode target = assignment.path("target");
        String odataType = text(target.path("@odata.type"));
        String type = odataType == null ? null
                : TargetType.fromOdataType(odataType).map(TargetNames::shortName).orElse(odataType);
        LinkedHashMap<String, String> columns = new LinkedHashMap<>();
        columns.put("tenantId", text(request.path("tenantId")));
        columns.put("policyId", text(request.path("policyId")));
        columns.put("targetType", type);
        columns.put("groupId", text(target.path("groupId")));
        columns.put("collectionId", text(target.path("collectionId")));
        columns.put("filterId", text(target.path(FILTER_ID)));
        columns.put("filterType", text(target.path(FILTER_TYPE)));
        columns.put("source", text(assignment.path("source")));
        columns.put("sourceId", text(assignment.path("sourceId")));
        columns.put("operation", text(request.path("operation")));
        return columns;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node) {
        return node.isString() && !node.stringValue().isEmpty() ? node.stringValue() : null;
    }

    /**
     * The worker's violation messages in the file's own words, for lines given as columns: {@code
     * assignment.target.groupId} is {@code groupId}, {@code #microsoft.graph.allDevicesAssignmentTarget} is
     * {@code targetType allDevices}.
     */
    static String inColumnTerms(String violation) {
        String text = violation
                .replace("assignment.target." + FILTER_ID, "filterId")
                .replace("assignment.target." + FILTER_TYPE, "filterType")
                .replace(FILTER_ID, "filterId")
                .replace(FILTER_TYPE, "filterType")
                .replace("assignment.target.groupId", "groupId")
                .replace("assignment.target.collectionId", "collectionId")
                .replace("assignment.sourceId", "sourceId")
                .replace("assignment.source", "source");
        for (TargetType type : TargetType.values()) {
            text = text.replace(type.odataType(), "targetType " + TargetNames.shortName(type));
        }
        return text;
    }
}
