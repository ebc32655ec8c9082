package io.assignmentworker.outcome;

/** Why a request FAILED. Decided in one place per stage; dashboards and alerts group by it. */
public enum ErrorCategory {
    /** The record could not be read at all (not UTF-8, not JSON, empty, too large); it went to the DLT. */
    UNREADABLE_RECORD,
    /** The request broke the message contract; the message names the field and the rule. */
    INVALID_REQUEST,
    /** The request names a tenant the worker has no credentials for. */
    UNKNOWN_TENANT,
    /** Entra ID refused the worker's credentials, or Graph kept refusing its token. */
    AUTHENTICATION,
    /** Graph answered 403: the app lacks DeviceManagementConfiguration.ReadWrite.All. */
    FORBIDDEN,
    /** Graph answered 404: the policy does not exist in the tenant. */
    NOT_FOUND,
    /** Graph answered 400 for the assignment itself. */
    BAD_REQUEST,
    /**
     * The policy already assigns the request's subject (group, collection, all devices or all users)
     * differently: another intent (include or exclude) or another filter. Graph holds one assignment per
     * subject, so nothing was written; the message names the existing assignment. Also: a remove that names the
     * subject's assignment with another intent or filter than it has (nothing removed), an update whose
     * {@code expected} assignment is not what the policy holds ({@code AssignmentChangedSince}), and an update of a
     * subject the policy does not assign ({@code SubjectNotAssigned}).
     */
    CONFLICT,
    /** The tenant refuses the documented create route ("No OData route exists …"). */
    ROUTE_REFUSED,
    /**
     * Graph kept answering 429 until the request reached its maximum age (429s use none of its tries: throttling
     * is about the tenant, not about the request).
     */
    THROTTLED,
    /** Graph kept failing transiently (5xx, timeouts, I/O) until the retries ran out. */
    UNAVAILABLE,
    /** Any other answer Graph is not documented to give for this call. */
    GRAPH_ERROR
}
