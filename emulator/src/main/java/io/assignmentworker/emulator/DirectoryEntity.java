package io.assignmentworker.emulator;

import java.time.Instant;

/**
 * A group or an assignment filter that assignments may name. The emulator keeps only what its reads return;
 * writes consult these registries while the tenant's {@link TenantBehaviour#directoryChecks()} is on (see
 * {@link DirectoryChecks}).
 *
 * @param id          the GUID, as registered
 * @param displayName the display name Graph shows
 * @param created     when it was registered, as {@code createdDateTime}
 * @param members     a group's transitive members, as {@code transitiveMembers/$count} says (0 for filters)
 */
record DirectoryEntity(String id, String displayName, Instant created, long members) {

    DirectoryEntity(String id, String displayName, Instant created) {
        this(id, displayName, created, 0);
    }
}
