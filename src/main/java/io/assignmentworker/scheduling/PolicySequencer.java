package io.assignmentworker.scheduling;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs work for the same policy one at a time, in arrival order; different policies run concurrently. The next
 * piece of work starts from the completion of the one before; when that completion is synchronous (a cached
 * answer, a vetoed write), starting it there would nest one call inside the other, thousands deep for a policy's
 * queue. A trampoline per thread runs them one after the other instead.
 */
final class PolicySequencer {

    /** The work a thread started from inside a completion and has not run yet; null when it is not inside one. */
    private static final ThreadLocal<Deque<Runnable>> TRAMPOLINE = new ThreadLocal<>();

    private final Map<String, Queue<Runnable>> waiting = new HashMap<>();

    <T> CompletableFuture<T> submit(String policyKey, Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> running;
            try {
                running = work.get();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((value, failure) -> {
                next(policyKey);
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        };
        boolean runNow;
        synchronized (waiting) {
            Queue<Runnable> queue = waiting.get(policyKey);
            runNow = queue == null;
            if (runNow) {
                waiting.put(policyKey, new ArrayDeque<>());
            } else {
                queue.add(start);
            }
        }
        if (runNow) {
            start.run();
        }
        return result;
    }

    private void next(String policyKey) {
        Runnable next;
        synchronized (waiting) {
            Queue<Runnable> queue = waiting.get(policyKey);
            next = queue.poll();
            if (next == null) {
                waiting.remove(policyKey);
            }
        }
        if (next != null) {
            runTrampolined(next);
        }
    }

    private static void runTrampolined(Runnable work) {
        Deque<Runnable> pending = TRAMPOLINE.get();
        if (pending != null) {
            pending.add(work);
            return;
        }
        pending = new ArrayDeque<>();
        TRAMPOLINE.set(pending);
        try {
            for (Runnable next = work; next != null; next = pending.poll()) {
                next.run();
            }
        } finally {
            TRAMPOLINE.remove();
        }
    }
}
