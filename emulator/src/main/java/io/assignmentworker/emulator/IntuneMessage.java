package io.assignmentworker.emulator;

import tools.jackson.databind.node.ObjectNode;

/**
 * Intune's front end puts a serialized JSON document, not prose, into {@code error.message} for errors it raises
 * itself (throttling, missing entities). Clients that show or parse that message must cope with it, so the
 * emulator reproduces the shape.
 */
final class IntuneMessage {
    private IntuneMessage() {
    }

    static String wrap(String text, String activityId, String path) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("_version", 3);
        doc.put("Message", text + " - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000"
                + " - Activity ID: " + activityId
                + " - Url: https://fef.emulator.manage.microsoft.com/StatelessDeviceConfigurationFEService"
                + path + "?api-version=5025-01-01");
        doc.put("CustomApiErrorPhrase", "");
        doc.putNull("RetryAfter");
        doc.put("ErrorSourceService", "");
        doc.put("HttpHeaders", "{}");
        return Json.MAPPER.writeValueAsString(doc);
    }
}
