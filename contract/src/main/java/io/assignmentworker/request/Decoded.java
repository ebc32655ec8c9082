package io.assignmentworker.request;

import java.util.List;

/** What one Kafka record turned out to be. */
public sealed interface Decoded {

    /** A request that passed validation. */
    record Valid(AssignmentRequest request) implements Decoded {
    }

    /**
     * Readable JSON that breaks the contract. The ids are whatever could be read, for the outcome.
     *
     * @param violations one line per broken rule, each naming the field and the rule
     */
    record Rejected(String requestId, String rolloutId, String tenantId, String policyId,
                    List<String> violations) implements Decoded {

        public Rejected {
            violations = List.copyOf(violations);
        }

        public String message() {
            return String.join("; ", violations);
        }
    }

    /** Bytes that cannot be read as a request at all: the record goes to the dead-letter topic. */
    record Unreadable(String reason) implements Decoded {
    }
}
