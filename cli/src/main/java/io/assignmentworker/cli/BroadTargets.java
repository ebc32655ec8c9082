package io.assignmentworker.cli;

import io.assignmentworker.request.TargetType;
import java.util.List;

/**
 * Lines whose change reaches a whole tenant: an All users or All devices assignment created, removed or updated.
 * One such line applies a compliance policy to (or takes it from) every user or device, so {@code submit}
 * publishes them only when confirmed.
 */
final class BroadTargets {

    private BroadTargets() {
    }

    /** {@code line N: create All devices}, one per line that changes a tenant-wide assignment. */
    static List<String> lines(CheckedFile checked) {
        return checked.valid().stream().filter(line -> isBroad(line.request().target().type()))
                .map(line -> "line " + line.line() + ": " + line.request().operation().wireName() + " "
                        + name(line.request().target().type()))
                .toList();
    }

    static boolean isBroad(TargetType type) {
        return type == TargetType.ALL_DEVICES || type == TargetType.ALL_LICENSED_USERS;
    }

    static String name(TargetType type) {
        return type == TargetType.ALL_DEVICES ? "All devices" : "All users";
    }
}
