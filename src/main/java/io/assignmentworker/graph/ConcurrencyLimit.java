package io.assignmentworker.graph;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * At most {@code max} asynchronous calls running at once; the rest wait in arrival order without holding a
 * thread. Keeps the worker's connections to Graph few and busy: over HTTP/1.1 every concurrent call is a
 * connection, and every connection a TLS handshake that costs more CPU than a hundred requests on it.
 */
final class ConcurrencyLimit {

    private final int max;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private final ThreadLocal<ArrayDeque<Runnable>> startsOnThisThread = new ThreadLocal<>();
    private int running;

    ConcurrencyLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        this.max = max;
    }

    /** Starts {@code call} now if a slot is free, otherwise when one frees; the result completes as the call's. */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> started;
            try {
                started = call.get();
            } catch (RuntimeException | Error e) {
                started = CompletableFuture.failedFuture(e);
            }
            started.whenComplete((value, failure) -> {
                release();
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        };
        synchronized (this) {
            if (running >= max) {
                waiting.add(start);
                return result;
            }
            running++;
        }
        runInTurn(start);
        return result;
    }

    /**
     * Runs {@code start} now, or after the start this thread is already running: a call that finishes at once
     * (vetoed, refused) frees its slot for the next, which may finish at once too. Taking them in a loop rather
     * than one inside the other keeps the stack flat however many there are (a revoked partition's queued
     * writes all end together).
     */
    private void runInTurn(Runnable start) {
        ArrayDeque<Runnable> pending = startsOnThisThread.get();
        if (pending != null) {
            pending.add(start);
            return;
        }
        pending = new ArrayDeque<>();
        startsOnThisThread.set(pending);
        try {
            for (Runnable next = start; next != null; next = pending.poll()) {
                next.run();
            }
        } finally {
            startsOnThisThread.remove();
        }
    }

    /** Calls waiting for a slot. */
    synchronized int waiting() {
        return waiting.size();
    }

    /** Calls running. */
    synchronized int running() {
        return running;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        runInTurn(next);
    }
}
