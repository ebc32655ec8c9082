package io.assignmentworker.emulator;

import io.assignmentworker.emulator.EmulatorStats.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a method and a path below {@code /beta} to a {@link GraphRoute}. Segment names match case-insensitively
 * and keys may be given as segments ({@code /policies/{id}}) or in OData key syntax ({@code /policies('{id}')}),
 * as Graph accepts both.
 */
final class GraphRouter {
    private static final Pattern KEY_SEGMENT = Pattern.compile("([^(]+)\\('?([^')]*)'?\\)");
    private static final String POLICIES = "deviceManagement/deviceCompliancePolicies";
    private static final String ASSIGNMENT_FILTERS = "deviceManagement/assignmentFilters";

    private GraphRouter() {
    }

    /** @param path the decoded request path, starting with {@code /beta} */
    static GraphRoute route(String method, String path) {
        String graphPath = path.length() > "/beta".length() ? path.substring("/beta".length()) : "/";
        List<String> segments = segments(graphPath);
        GraphRoute entity = entityRead(method, graphPath, segments);
        if (entity != null) {
            return entity;
        }
        if (segments.size() < 3 || !POLICIES.equalsIgnoreCase(segments.get(0) + "/" + segments.get(1))) {
            return GraphRoute.failed(Operation.OTHER, graphPath, unknownSegment(firstUnserved(segments)));
        }
        String policyId = segments.get(2);
        if (!Ids.isGuid(policyId)) {
            return GraphRoute.failed(Operation.OTHER, graphPath, GraphErrorReply.badRequest("Invalid key '" + policyId
                    + "' for deviceCompliancePolicy: the key must be a GUID."));
        }
        return switch (segments.size()) {
            case 3 -> routeFor(method, graphPath, policyId, null, Map.of("GET", Operation.GET_POLICY));
            case 4 -> policyChild(method, graphPath, policyId, segments.get(3));
            case 5 -> assignment(method, graphPath, policyId, segments);
            default -> GraphRoute.failed(Operation.OTHER, graphPath, unknownSegment(segments.get(5)));
        };
    }

    /** {@code /groups/{id}} and {@code /deviceManagement/assignmentFilters/{id}}, or null for any other path. */
    private static GraphRoute entityRead(String method, String path, List<String> segments) {
        if (segments.size() == 4 && "groups".equalsIgnoreCase(segments.get(0))
                && "transitiveMembers".equalsIgnoreCase(segments.get(2)) && "$count".equals(segments.get(3))) {
            String groupId = segments.get(1);
            GraphErrorReply invalid = Ids.isGuid(groupId) ? null : new GraphErrorReply(400, "Request_BadRequest",
                    "Invalid object identifier '" + groupId + "'.");
            return entityRoute(method, path, Operation.GET_GROUP_MEMBER_COUNT, groupId, invalid);
        }
        if (segments.size() == 2 && "groups".equalsIgnoreCase(segments.get(0))) {
            String groupId = segments.get(1);
            GraphErrorReply invalid = Ids.isGuid(groupId) ? null : new GraphErrorReply(400, "Request_BadRequest",
                    "Invalid object identifier '" + groupId + "'.");
            return entityRoute(method, path, Operation.GET_GROUP, groupId, invalid);
        }
        if (segments.size() == 3 && ASSIGNMENT_FILTERS.equalsIgnoreCase(segments.get(0) + "/" + segments.get(1))) {
            String filterId = segments.get(2);
            GraphErrorReply invalid = Ids.isGuid(filterId) ? null : GraphErrorReply.badRequest("Invalid key '" + filterId
                    + "' for deviceAndAppManagementAssignmentFilter: the key must be a GUID.");
            return entityRoute(method, path, Operation.GET_ASSIGNMENT_FILTER, filterId, invalid);
        }
        return null;
    }

    private static GraphRoute entityRoute(String method, String path, Operation read, String id, GraphErrorReply invalid) {
        if (!"GET".equals(method)) {
            return GraphRoute.failed(Operation.OTHER, path, new GraphErrorReply(405, "MethodNotAllowed", "The HTTP method '"
                    + method + "' is not allowed for this resource.", Map.of("Allow", "GET")));
        }
        if (invalid != null) {
            return GraphRoute.failed(read, path, invalid);
        }
        return GraphRoute.entity(read, id, path);
    }

    private static GraphRoute policyChild(String method, String path, String policyId, String child) {
        if ("assignments".equalsIgnoreCase(child)) {
            return routeFor(method, path, policyId, null, Map.of("GET", Operation.LIST, "POST", Operation.CREATE));
        }
        if ("assign".equalsIgnoreCase(child)) {
            return routeFor(method, path, policyId, null, Map.of("POST", Operation.ASSIGN));
        }
        return GraphRoute.failed(Operation.OTHER, path, unknownSegment(child));
    }

    private static GraphRoute assignment(String method, String path, String policyId, List<String> segments) {
        if (!"assignments".equalsIgnoreCase(segments.get(3))) {
            return GraphRoute.failed(Operation.OTHER, path, unknownSegment(segments.get(3)));
        }
        String assignmentId = segments.get(4);
        if (!Ids.isEntityKey(assignmentId)) {
            return GraphRoute.failed(Operation.OTHER, path, GraphErrorReply.badRequest("Invalid key '" + assignmentId
                    + "' for deviceCompliancePolicyAssignment."));
        }
        return routeFor(method, path, policyId, assignmentId, Map.of("GET", Operation.OTHER));
    }

    private static GraphRoute routeFor(String method, String path, String policyId, String assignmentId,
                                       Map<String, Operation> byMethod) {
        Operation operation = byMethod.get(method);
        if (operation == null) {
            String allowed = String.join(", ", byMethod.keySet().stream().sorted().toList());
            GraphErrorReply error = new GraphErrorReply(405, "MethodNotAllowed", "The HTTP method '" + method
                    + "' is not allowed for this resource.", Map.of("Allow", allowed));
            return new GraphRoute(Operation.OTHER, policyId, assignmentId, path, error);
        }
        return new GraphRoute(operation, policyId, assignmentId, path, null);
    }

    /** Splits on '/', dropping empty segments, and unfolds OData key syntax into a segment of its own. */
    static List<String> segments(String path) {
        List<String> result = new ArrayList<>();
        for (String raw : path.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            Matcher key = KEY_SEGMENT.matcher(raw);
            if (key.matches()) {
                result.add(key.group(1));
                result.add(key.group(2));
            } else {
                result.add(raw);
            }
        }
        return result;
    }

    /** The segment Graph would complain about when the path is not below a policy. */
    private static String firstUnserved(List<String> segments) {
        if (segments.isEmpty()) {
            return "beta";
        }
        if (!"deviceManagement".equalsIgnoreCase(segments.get(0)) || segments.size() == 1) {
            return segments.get(0);
        }
        return segments.get(1);
    }

    private static GraphErrorReply unknownSegment(String segment) {
        return new GraphErrorReply(404, "ResourceNotFound", "Resource not found for the segment '" + segment
                + "'. The emulator serves deviceManagement/deviceCompliancePolicies/{id}, its assignments and assign, "
                + "groups/{id} and deviceManagement/assignmentFilters/{id}.");
    }
}
