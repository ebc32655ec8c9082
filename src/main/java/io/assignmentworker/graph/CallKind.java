package io.assignmentworker.graph;

/** What a Graph call costs against the tenant's budgets. */
public enum CallKind {
    /** Counts against the request budget only. */
    READ,
    /** Counts against the write budget and the request budget. */
    WRITE
}
