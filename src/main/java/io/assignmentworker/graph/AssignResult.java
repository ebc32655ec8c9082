package io.assignmentworker.graph;

/**
 * What a coalesced {@code /assign} write did for one request of its batch, as Graph was read back after it.
 *
 * @param kind     what became of the request
 * @param assigned the subject's assignment as Graph holds it now ({@code null} when it has none); for
 *                 {@link Kind#CREATED} its {@code alreadyExisted} says whether the write added it
 * @param previous {@link Kind#REMOVED}, {@link Kind#UPDATED}: the assignment as Graph held it before
 * @param error    {@link Kind#REFUSED}: why; {@link Kind#RETRY}: what the read-back found
 */
public record AssignResult(Kind kind, Assigned assigned, Assigned previous, GraphError error) {

    /** What became of one request of a batch. */
    public enum Kind {
        /** A create: the assignment exists. */
        CREATED,
        /** A remove: the assignment was there as named and is gone. */
        REMOVED,
        /** An update: the assignment now has the asked intent and filter. */
        UPDATED,
        /** A remove or an update with nothing to do. */
        UNCHANGED,
        /** Graph refused it, or it conflicts with what the policy holds: nothing written for it. */
        REFUSED,
        /**
         * Its change was written but did not hold when read back (someone wrote the set meanwhile): it goes with
         * the policy's next write, until its own maximum age; {@code error} says what was found.
         */
        RETRY,
        /**
         * Not written by this batch: the batch asked something else of its subject first. It goes with the
         * policy's next batch, so each subject's requests apply in the order they came.
         */
        LATER
    }

    static AssignResult created(Assigned assigned) {
        return new AssignResult(Kind.CREATED, assigned, null, null);
    }

    static AssignResult refused(GraphError error) {
        return new AssignResult(Kind.REFUSED, null, null, error);
    }

    static AssignResult retry(GraphError error) {
        return new AssignResult(Kind.RETRY, null, null, error);
    }

    static final AssignResult LATER = new AssignResult(Kind.LATER, null, null, null);
}
