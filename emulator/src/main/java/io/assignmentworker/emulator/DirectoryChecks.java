package io.assignmentworker.emulator;

import tools.jackson.databind.node.ObjectNode;

/**
 * What a write's target names must exist: the group of a group or exclusion-group target, and the assignment filter
 * of an include or exclude filter. Graph refuses ids its directory does not hold with 400 BadRequest and Intune's
 * message document; the emulator does so for groups made unknown with {@link TenantBehaviour#missingGroup}, and,
 * while {@link TenantBehaviour#directoryChecks()} is on, for every group and filter not registered in the tenant.
 *
 * <p>The wording is Intune's where a public thread shows it (see the package documentation): "Invalid GroupId : …
 * provided, a valid AADGroupId is expected." and "Scope Tags validation failed : Filters … , Validated filters ",
 * both seen from the settings-catalog {@code assign}; that compliance policies answer the same is unverified.
 */
final class DirectoryChecks {
    private DirectoryChecks() {
    }

    /** @throws GraphErrorReply 400 BadRequest naming the first unknown group or filter of the (normalized) entry */
    static void requireKnownTargets(Tenant tenant, ObjectNode entry, GraphRoute route, RequestIds ids) {
        ObjectNode target = (ObjectNode) entry.get("target");
        String groupId = target.path("groupId").asString(null);
        if (groupId != null && !groupKnown(tenant, groupId)) {
            throw GraphErrorReply.badRequest(IntuneMessage.wrap("Invalid GroupId : " + groupId
                    + " provided, a valid AADGroupId is expected.", ids.requestId(), route.path()));
        }
        String filterType = target.path(AssignmentValidator.FILTER_TYPE).asString("none");
        String filterId = target.path(AssignmentValidator.FILTER_ID).asString(null);
        // A filter id beside type none is stored but not applied; Intune is not known to check it then.
        if (!"none".equals(filterType) && filterId != null && !filterKnown(tenant, filterId)) {
            throw GraphErrorReply.badRequest(IntuneMessage.wrap("Scope Tags validation failed : Filters " + filterId
                    + " , Validated filters ", ids.requestId(), route.path()));
        }
    }

    private static boolean groupKnown(Tenant tenant, String groupId) {
        TenantBehaviour behaviour = tenant.behaviour();
        if (behaviour.groupMissing(groupId)) {
            return false;
        }
        return !behaviour.directoryChecks() || tenant.group(groupId).isPresent();
    }

    private static boolean filterKnown(Tenant tenant, String filterId) {
        return !tenant.behaviour().directoryChecks() || tenant.assignmentFilter(filterId).isPresent();
    }
}
