package io.assignmentworker.scheduling;

import io.assignmentworker.outcome.Outcome;
import java.util.function.Function;

/**
 * What the scheduling stage did with a request read from the requests topic: answered it, or found that its
 * tenant writes with coalesced {@code /assign} calls, which only the owner of the policy may make; the intake
 * stage then forwards it to that owner through the by-policy topic.
 */
public sealed interface Handled {

    <R> R map(Function<Answered, R> answered, Function<ToPolicyOwner, R> toPolicyOwner);

    /** The request's one outcome. */
    record Answered(Outcome outcome) implements Handled {
        @Override
        public <R> R map(Function<Answered, R> answered, Function<ToPolicyOwner, R> toPolicyOwner) {
            return answered.apply(this);
        }
    }

    /** To be written by the worker that owns the policy, keyed by {@code policyKey}. */
    record ToPolicyOwner(String policyKey) implements Handled {
        @Override
        public <R> R map(Function<Answered, R> answered, Function<ToPolicyOwner, R> toPolicyOwner) {
            return toPolicyOwner.apply(this);
        }
    }
}
