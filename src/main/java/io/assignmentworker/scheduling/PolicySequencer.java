package io.assignmentworker.scheduling;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Runs work for the same policy one at a time, in arrival order; different policies run concurrently. */
final class PolicySequencer {

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
            next.run();
        }
    }
}
