package io.assignmentworker.rollout;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What this instance's rollout tasks hold, kept up to date as they fold events, so that a scrape of the gauges and
 * the max-tracked check cost one addition per task instead of a scan of every store. Each task has its own entry:
 * it is replaced when the task starts again (a task whose thread died may never have been closed) and removed when
 * the task closes (its partition went to another instance, or the worker stops).
 */
final class RolloutCounts {

    private final ConcurrentMap<TaskId, Task> tasks = new ConcurrentHashMap<>();

    Task open(TaskId taskId) {
        Task task = new Task();
        tasks.put(taskId, task);
        return task;
    }

    void close(TaskId taskId, Task task) {
        tasks.remove(taskId, task);
    }

    /** Rollouts held. */
    long tracked() {
        return tasks.values().stream().mapToLong(t -> t.tracked).sum();
    }

    /** Rollouts held that are not complete. */
    long active() {
        return tasks.values().stream().mapToLong(t -> t.active).sum();
    }

    /** Requests of those rollouts, by their manifests, still without an outcome. */
    long pending() {
        return tasks.values().stream().mapToLong(t -> t.pending).sum();
    }

    /** One task's counts: written by its stream thread only, read by scrapes. */
    static final class Task {

        private volatile long tracked;
        private volatile long active;
        private volatile long pending;

        /** A rollout's status went from {@code before} to {@code after}; {@code null} is "not held". */
        void replace(RolloutStatus before, RolloutStatus after) {
            tracked += (after == null ? 0 : 1) - (before == null ? 0 : 1);
            active += active(after) - active(before);
            pending += pending(after) - pending(before);
        }

        private static int active(RolloutStatus status) {
            return status == null || status.complete() ? 0 : 1;
        }

        private static long pending(RolloutStatus status) {
            return status == null || status.complete() || status.expectedCount() == null ? 0
                    : status.expectedCount() - status.total();
        }
    }
}
