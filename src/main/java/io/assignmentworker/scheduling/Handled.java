package io.assignmentworker.scheduling;

import io.assignmentworker.outcome.Outcome;
import java.util.function.Function;

/**
 * What the scheduling stage did with a request: answered it; found that its tenant writes with coalesced
 * {@code /assign} calls, which only the owner of the policy may make (the intake stage then forwards it to that
 * owner through the by-policy topic); or handed it back unanswered, because its write permit was withdrawn.
 */
public sealed interface Handled {

    <R> R map(Function<Answered, R> answered, Function<ToPolicyOwner, R> toPolicyOwner,
              Function<HandedBack, R> handedBack);

    /** The request's one outcome. */
    record Answered(Outcome outcome) implements Handled {
        @Override
        public <R> R map(Function<Answered, R> answered, Function<ToPolicyOwner, R> toPolicyOwner,
                         Function<HandedBack, R> handedBack) {
            return answered.apply(this);
        }
    }

    /** To be written by the worker that owns the policy, keyed by {@code policyKey}. */
    record ToPolicyOwner(String policyKey) implements Handled {
        @Override
        public <R> R map(Function<Answered, R> answered, Function<ToPolicyOwner, R> toPolicyOwner,
                         Function<HandedBack, R> handedBack) {
            return toPolicyOwner.apply(this);
        }
    }

    /**
     * Not this worker's to answer (its permit was withdrawn: the intake stage gave up the request's partition): no
     * outcome, and nothing more is sent for it. It stays uncommitted, for the partition's next owner to read again.
     */
    record HandedBack(String reason) implements Handled {
        @Override
        public <R> R map(Function<Answered, R> answered, Function<ToPolicyOwner, R> toPolicyOwner,
                         Function<HandedBack, R> handedBack) {
            return handedBack.apply(this);
        }
    }
}
