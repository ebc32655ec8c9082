package io.assignmentworker.benchmark;

import io.assignmentworker.emulator.EmulatorSettings;
import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.EmulatorStats.Operation;
import io.assignmentworker.emulator.GraphEmulator;
import java.time.Duration;

/**
 * What Graph saw of one run, beyond the table's columns: the writes by kind, the lists, and the most writes in any
 * window of Intune's length.
 *
 * @param assigns          {@code /assign} calls, whatever their answer
 * @param assignsDone      of those, answered 200
 * @param creates          create calls, whatever their answer
 * @param createsDone      of those, answered 201
 * @param refusedCreates   of those, refused 400 (the create route, in a tenant that refuses it)
 * @param lists            list calls (each page counts)
 * @param maxAdmitted      most writes the emulator's budget admitted in any {@link #WINDOW}
 * @param maxArrived       most writes that reached Graph in any {@link #WINDOW}, 429s included; -1 when unknown
 * @param writeBudget      the emulator's write budget per {@link #WINDOW}, or 0 when it has none
 */
record GraphFigures(long assigns, long assignsDone, long creates, long createsDone, long refusedCreates, long lists,
                    int maxAdmitted, int maxArrived, int writeBudget) {

    /** Intune's budget window: the one the "≤ 100 writes in any window" refers to. */
    static final Duration WINDOW = Duration.ofSeconds(20);

    /**
     * @param during     the emulator's counters over the run
     * @param sinceNanos {@link System#nanoTime()} when the run's requests were published
     */
    static GraphFigures of(GraphEmulator graph, String tenant, EmulatorStats during, long sinceNanos) {
        // The budget counts over the emulator's own window; only Intune's 20 s window has a budget to compare with.
        boolean budgeted = graph.settings().writeBudget() != EmulatorSettings.UNLIMITED
                && graph.settings().budgetWindow().equals(WINDOW);
        return new GraphFigures(during.count(Operation.ASSIGN), during.count(Operation.ASSIGN, 200),
                during.count(Operation.CREATE), during.count(Operation.CREATE, 201),
                during.count(Operation.CREATE, 400), during.count(Operation.LIST),
                WriteWindow.admitted(graph, tenant, sinceNanos, WINDOW), WriteWindow.arrived(graph, sinceNanos, WINDOW),
                budgeted ? graph.settings().writeBudget() : 0);
    }

    /** Writes that assigned something: {@code /assign}s answered 200 and creates answered 201. */
    long writesDone() {
        return assignsDone + createsDone;
    }

    /** Answered requests per write that assigned something; NaN without one. */
    double requestsPerWrite(int answered) {
        return writesDone() == 0 ? Double.NaN : (double) answered / writesDone();
    }

    /** Whether the emulator admitted no more writes in any window than its budget (always true without one). */
    boolean withinBudget() {
        return writeBudget == 0 || maxAdmitted <= writeBudget;
    }

    /** e.g. {@code 100 admitted / 100 sent (budget 100)}, or {@code 2999 / 3000 (no budget)}. */
    String windowFigure() {
        return maxAdmitted + " admitted / " + (maxArrived < 0 ? "?" : Integer.toString(maxArrived)) + " sent"
                + (writeBudget == 0 ? " (no budget)" : " (budget " + writeBudget + ")");
    }
}
