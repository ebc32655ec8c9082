package io.assignmentworker.emulator;

import java.net.URI;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /groups/{id}} and {@code GET /deviceManagement/assignmentFilters/{id}}: the reads a client makes to
 * check what an assignment would name before writing it. Their 404s differ as the real services' do: Entra's
 * directory answers {@code Request_ResourceNotFound} with prose, Intune {@code ResourceNotFound} with its
 * serialized message document.
 */
final class DirectoryReads {
    private static final String FILTER_TYPE = "#microsoft.graph.deviceAndAppManagementAssignmentFilter";

    private final URI serviceRoot;

    DirectoryReads(URI serviceRoot) {
        this.serviceRoot = serviceRoot;
    }

    GraphReply group(Tenant tenant, GraphRoute route) {
        DirectoryEntity group = tenant.group(route.entityId()).orElseThrow(() -> new GraphErrorReply(404,
                "Request_ResourceNotFound", "Resource '" + route.entityId() + "' does not exist or one of its "
                + "queried reference-property objects are not present."));
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("@odata.context", serviceRoot + "/$metadata#groups/$entity");
        node.put("id", group.id());
        node.put("displayName", group.displayName());
        node.putNull("description");
        node.put("createdDateTime", group.created().toString());
        node.putArray("groupTypes");
        node.put("mailEnabled", false);
        node.putNull("mailNickname");
        node.put("securityEnabled", true);
        return GraphReply.ok(node);
    }

    /** {@code transitiveMembers/$count}: Graph answers the number alone, as {@code text/plain}. */
    GraphReply memberCount(Tenant tenant, GraphRoute route) {
        DirectoryEntity group = tenant.group(route.entityId()).orElseThrow(() -> new GraphErrorReply(404,
                "Request_ResourceNotFound", "Resource '" + route.entityId() + "' does not exist or one of its "
                + "queried reference-property objects are not present."));
        return GraphReply.text(Long.toString(group.members()));
    }

    GraphReply assignmentFilter(Tenant tenant, GraphRoute route, RequestIds ids) {
        DirectoryEntity filter = tenant.assignmentFilter(route.entityId()).orElseThrow(() -> GraphErrorReply.notFound(
                IntuneMessage.wrap("Resource not found: no deviceAndAppManagementAssignmentFilter with id "
                        + route.entityId() + ".", ids.requestId(), route.path())));
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("@odata.context", serviceRoot + "/$metadata#deviceManagement/assignmentFilters/$entity");
        node.put("@odata.type", FILTER_TYPE);
        node.put("id", filter.id());
        node.put("createdDateTime", filter.created().toString());
        node.put("lastModifiedDateTime", filter.created().toString());
        node.put("displayName", filter.displayName());
        node.put("description", "");
        node.put("platform", "windows10AndLater");
        node.put("rule", "(device.osVersion -startsWith \"10.0\")");
        node.putArray("roleScopeTags").add("0");
        node.put("assignmentFilterManagementType", "devices");
        return GraphReply.ok(node);
    }
}
