package io.assignmentworker.process;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A record an upstream system should never send, and the one outcome the worker promises for it.
 *
 * @param name      what is wrong with it
 * @param key       the record key
 * @param value     the record value, byte for byte ({@code null}: a tombstone)
 * @param requestId the requestId its result carries, {@code null} when the record cannot be read
 * @param category  the expected {@code error.category}
 */
record BadInput(String name, String key, byte[] value, String requestId, String category) {

    static final String UNREADABLE = "UNREADABLE_RECORD";

    /** Unreadable records go to the dead-letter topic unchanged. */
    boolean deadLettered() {
        return UNREADABLE.equals(category);
    }

    /** One of each kind of bad record; {@code policyId} is a policy that exists. */
    static List<BadInput> everyKind(String tenantId, String policyId) {
        String invalid = "bad-group-" + Rollout.guid();
        String notFound = "unknown-policy-" + Rollout.guid();
        return List.of(
                unreadable("invalid JSON", utf8("{\"requestId\":\"half-a-message\",")),
                unreadable("invalid UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}),
                unreadable("empty value", new byte[0]),
                unreadable("null value (tombstone)", null),
                unreadable("100 KB value", utf8("{\"requestId\":\"huge\",\"pad\":\"" + "x".repeat(100 * 1024) + "\"}")),
                unreadable("JSON nested 200 deep", utf8("{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}")),
                new BadInput("groupId that is not a GUID", invalid, new PlannedRequest(invalid, tenantId, policyId,
                        Target.group("not-a-guid")).value(), invalid, "INVALID_REQUEST"),
                new BadInput("policy that does not exist", notFound, new PlannedRequest(notFound, tenantId,
                        Rollout.guid(), Target.group(Rollout.guid())).value(), notFound, "NOT_FOUND"));
    }

    private static BadInput unreadable(String name, byte[] value) {
        return new BadInput(name, "bad-" + name.replace(' ', '-'), value, null, UNREADABLE);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return name;
    }
}
