package io.assignmentworker.emulator;

import io.assignmentworker.emulator.EmulatorStats.InjectedFault;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Graph operations on compliance policies, and the reads of the groups and assignment filters assignments
 * name, run once a call has passed auth, faults and budgets.
 */
final class PolicyOperations {
    private static final String POLICY_TYPE = "#microsoft.graph.windows10CompliancePolicy";

    private final URI serviceRoot;
    private final int pageSize;
    private final StatsRecorder stats;
    private final DirectoryReads directory;

    /** @param serviceRoot the Graph base URL, e.g. {@code https://localhost:8443/beta} */
    PolicyOperations(URI serviceRoot, int pageSize, StatsRecorder stats) {
        this.serviceRoot = serviceRoot;
        this.pageSize = pageSize;
        this.stats = stats;
        this.directory = new DirectoryReads(serviceRoot);
    }

    GraphReply execute(GraphRoute route, Tenant tenant, byte[] body, Map<String, String> query, RequestIds ids) {
        return switch (route.operation()) {
            case GET_POLICY -> getPolicy(policy(tenant, route, ids));
            case LIST -> list(tenant.behaviour(), policy(tenant, route, ids), query);
            case CREATE -> create(tenant, route, body, ids);
            case ASSIGN -> assign(tenant, route, policy(tenant, route, ids), body, ids);
            case GET_GROUP -> directory.group(tenant, route);
            case GET_GROUP_MEMBER_COUNT -> directory.memberCount(tenant, route);
            case GET_ASSIGNMENT_FILTER -> directory.assignmentFilter(tenant, route, ids);
            case OTHER -> getAssignment(policy(tenant, route, ids), route, ids);
            case TOKEN -> throw new IllegalStateException("token requests are not Graph operations");
        };
    }

    private GraphReply getPolicy(Policy policy) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("@odata.context", metadata("deviceManagement/deviceCompliancePolicies/$entity"));
        node.put("@odata.type", POLICY_TYPE);
        node.put("id", policy.id());
        node.put("createdDateTime", policy.created().toString());
        node.put("lastModifiedDateTime", policy.created().toString());
        node.put("displayName", policy.displayName());
        node.putNull("description");
        node.put("version", 1);
        return GraphReply.ok(node);
    }

    /**
     * One page of the list, malformed as the tenant's one-shot knobs say: a follow-up page (one that carries
     * {@code $skiptoken}) answered 503, a first page whose {@code @odata.nextLink} holds an expired skip token, a
     * reply without its {@code value} array.
     */
    private GraphReply list(TenantBehaviour behaviour, Policy policy, Map<String, String> query) {
        boolean followUp = query.containsKey("$skiptoken");
        if (followUp && behaviour.takeFailNextPage()) {
            stats.injected(InjectedFault.FAILED_NEXT_PAGE);
            throw FaultInjector.unavailable();
        }
        String context = metadata("deviceManagement/deviceCompliancePolicies('" + policy.id() + "')/assignments");
        String listUrl = serviceRoot + "/deviceManagement/deviceCompliancePolicies/" + policy.id() + "/assignments";
        ObjectNode page = AssignmentPages.page(policy.snapshot(), pageSize, context, listUrl, query);
        if (!followUp && behaviour.takeBrokenNextLink()) {
            stats.injected(InjectedFault.BROKEN_NEXT_LINK);
            page.put("@odata.nextLink", listUrl + "?$skiptoken=" + AssignmentPages.expiredToken());
        }
        if (behaviour.takeListWithoutValue()) {
            stats.injected(InjectedFault.LIST_WITHOUT_VALUE);
            page.remove("value");
        }
        return GraphReply.ok(page);
    }

    private GraphReply getAssignment(Policy policy, GraphRoute route, RequestIds ids) {
        ObjectNode assignment = policy.find(route.assignmentId()).orElseThrow(() -> GraphErrorReply.notFound(
                IntuneMessage.wrap("Resource not found.", ids.requestId(), route.path())));
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("@odata.context", metadata("deviceManagement/deviceCompliancePolicies('" + policy.id()
                + "')/assignments/$entity"));
        node.setAll(assignment);
        return GraphReply.ok(node);
    }

    private GraphReply create(Tenant tenant, GraphRoute route, byte[] body, RequestIds ids) {
        if (tenant.behaviour().createRouteRefused()) {
            throw routeRefused(route.policyId());
        }
        Policy policy = policy(tenant, route, ids);
        ObjectNode entry = AssignmentValidator.normalize(parse(body), "");
        DirectoryChecks.requireKnownTargets(tenant, entry, route, ids);
        Policy.Addition addition = policy.add(entry);
        if (addition instanceof Policy.Addition.SubjectTaken taken) {
            policy.duplicateRefused();
            // Unverified: no public thread shows what Graph answers a create for a subject the policy already
            // holds (the id {policyId}_{groupId} would repeat). Refused here, naming the assignment that holds it.
            throw GraphErrorReply.badRequest(IntuneMessage.wrap("The policy already has an assignment for "
                    + taken.subject().describe() + ": " + taken.existingId()
                    + ". Change that assignment through assign instead.", ids.requestId(), route.path()));
        }
        ObjectNode created = ((Policy.Addition.Added) addition).assignment();
        stats.writePerformed();
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("@odata.context", metadata("deviceManagement/deviceCompliancePolicies('" + policy.id()
                + "')/assignments/$entity"));
        node.setAll(created);
        String location = serviceRoot + "/deviceManagement/deviceCompliancePolicies/" + policy.id()
                + "/assignments/" + created.get("id").stringValue();
        return new GraphReply(201, node, Map.of("Location", location));
    }

    private GraphReply assign(Tenant tenant, GraphRoute route, Policy policy, byte[] body, RequestIds ids) {
        JsonNode request = parse(body);
        JsonNode entries = request.get("assignments");
        if (!request.isObject() || entries == null || !entries.isArray()) {
            throw GraphErrorReply.badRequest("The request body must be an object with an 'assignments' array.");
        }
        for (String name : request.propertyNames()) {
            if (!"assignments".equals(name)) {
                throw GraphErrorReply.badRequest("The parameter '" + name + "' is not in scope of the action 'assign'.");
            }
        }
        List<ObjectNode> valid = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            valid.add(AssignmentValidator.normalize(entries.get(i), "assignments[" + i + "]: "));
            DirectoryChecks.requireKnownTargets(tenant, valid.get(i), route, ids);
        }
        AssignmentSubject.firstRepeat(valid).ifPresent(repeat -> {
            policy.duplicateRefused();
            // The phrase is Intune's (quoted in Microsoft365DSC#3058); the rest of the sentence is the emulator's.
            throw GraphErrorReply.badRequest(IntuneMessage.wrap("assignments[" + repeat.first() + "] and assignments["
                    + repeat.second() + "] both target " + repeat.subject().describe()
                    + ": a group should be unique in an assignment set.", ids.requestId(), route.path()));
        });
        if (tenant.behaviour().takeAssignDropsExisting()) {
            dropFirstExisting(policy, valid);
        }
        List<ObjectNode> stored = policy.replace(valid);
        stats.writePerformed();
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("@odata.context", metadata("Collection(microsoft.graph.deviceCompliancePolicyAssignment)"));
        ArrayNode value = node.putArray("value");
        stored.forEach(value::add);
        return GraphReply.ok(node);
    }

    /** The {@code assignDropsExisting} fault: the first entry sent that the policy already held is not stored. */
    private void dropFirstExisting(Policy policy, List<ObjectNode> entries) {
        Set<String> held = new HashSet<>();
        policy.snapshot().forEach(a -> held.add(AssignmentSubject.of(a).key()));
        for (int i = 0; i < entries.size(); i++) {
            if (held.contains(AssignmentSubject.of(entries.get(i)).key())) {
                entries.remove(i);
                stats.injected(InjectedFault.ASSIGN_DROPPED_EXISTING);
                return;
            }
        }
    }

    private Policy policy(Tenant tenant, GraphRoute route, RequestIds ids) {
        return tenant.policy(route.policyId()).orElseThrow(() -> GraphErrorReply.notFound(IntuneMessage.wrap(
                "Resource not found: no deviceCompliancePolicy with id " + route.policyId() + ".",
                ids.requestId(), route.path())));
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw GraphErrorReply.badRequest("Empty Payload. JSON content expected.");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw GraphErrorReply.badRequest("Empty Payload. JSON content expected.");
            }
            return node;
        } catch (JacksonException e) {
            throw GraphErrorReply.badRequest("Invalid JSON in the request body: " + e.getOriginalMessage());
        }
    }

    static GraphErrorReply routeRefused(String policyId) {
        return new GraphErrorReply(400, "No method match route template", "No OData route exists that match template "
                + "~/singleton/navigation/key/navigation with http verb POST for request "
                + "/StatelessDeviceConfigurationFEService/deviceManagement/deviceCompliancePolicies('" + policyId
                + "')/assignments.");
    }

    private String metadata(String fragment) {
        return serviceRoot + "/$metadata#" + fragment;
    }
}
