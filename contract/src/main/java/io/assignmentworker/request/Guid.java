package io.assignmentworker.request;

/** The one check for a GUID: request ids and the tenant ids of the worker's own configuration. */
public final class Guid {

    private Guid() {
    }

    /** 8-4-4-4-12 hex digits; checked by hand, as a regex allocated a matcher for each of a request's ids. */
    public static boolean isGuid(String value) {
        if (value == null || value.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-'
                    : c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
