package io.assignmentworker.benchmark;

import io.assignmentworker.emulator.EmulatorStats;
import io.assignmentworker.emulator.GraphEmulator;
import io.assignmentworker.metrics.WorkerMetrics;
import io.assignmentworker.process.KafkaBrokerProcess;
import java.time.Duration;
import java.util.List;

/** The measured phase of one {@link CoalescedRunner} run: publish, wait, and take every figure. */
final class CoalescedMeasure {

    private static final String TENANT = WorkerThroughputBenchmark.TENANT;

    private final KafkaBrokerProcess broker;
    private final CoalescedRunner.Subject subject;

    CoalescedMeasure(KafkaBrokerProcess broker, CoalescedRunner.Subject subject) {
        this.broker = broker;
        this.subject = subject;
    }

    /**
     * Publishes {@code plan} and measures until all are answered or the run's limit has passed since publishing
     * (then the rate so far is extrapolated to the plan).
     */
    CoalescedRun measure(List<Load.Request> plan) throws Exception {
        CoalescedRunner.Setup setup = subject.setup();
        GraphEmulator graph = subject.graph();
        BenchWorker worker = subject.worker();
        ResultWatch watch = subject.watch();
        Duration limit = setup.limit();
        EmulatorStats before = graph.stats();
        long cpuBefore = worker.cpuMillis();
        long benchBefore = Bench.selfCpuMillis();
        long brokerBefore = BenchWorker.cpuMillis(broker.pid());
        worker.startHeapSampling();
        long published = System.nanoTime();
        Load.publish(broker.bootstrapServers(), subject.topic(), plan);
        WorkerThroughputBenchmark.say("published %d requests in %.1f s", plan.size(),
                (System.nanoTime() - published) / 1e9);
        boolean complete = watch.awaitAll(plan, limit);
        long heap = worker.stopHeapSampling();
        EmulatorStats during = graph.stats().minus(before);
        ResultWatch.Phase phase = watch.phase(plan);
        int answered = phase.answered();
        double perRequest = answered == 0 ? Double.NaN : 1.0 / answered; // NaN prints as "—"
        double cpu = (worker.cpuMillis() - cpuBefore) * perRequest;
        double benchCpu = (Bench.selfCpuMillis() - benchBefore) * perRequest;
        double brokerCpu = (BenchWorker.cpuMillis(broker.pid()) - brokerBefore) * perRequest;
        int inFlight = (int) worker.gauge(WorkerMetrics.IN_FLIGHT); // after the CPU: reading it costs the worker
        if (complete) {
            Thread.sleep(2_000); // a late duplicate outcome would show up by now
        }
        Row row = new Row(setup.scenario(), "worker (" + setup.label() + ")", answered,
                answered == 0 ? limit.toNanos() / 1e9 : phase.seconds(),
                Bench.percentile(phase.latenciesMillis(), 50), Bench.percentile(phase.latenciesMillis(), 99), cpu,
                heap / 1048576.0, during.graphCalls(), during.throttled(), graph.duplicateAssignments(TENANT),
                watch.duplicateOutcomes(), complete ? watch.missing(plan) : 0,
                WorkerThroughputBenchmark.notCreated(watch.statuses()), 0, benchCpu, brokerCpu);
        CoalescedRun run = new CoalescedRun(setup.scenario(), setup.label(), row,
                GraphFigures.of(graph, TENANT, during, published), plan.size(), subject.preExisting().count(),
                subject.preExisting().lostOrChanged(graph, TENANT),
                PreExisting.intendedMissing(graph, TENANT, watch.answered(plan)),
                answered == 0 ? Double.POSITIVE_INFINITY : plan.size() / row.rate(), complete, inFlight, limit);
        WorkerThroughputBenchmark.say("%s; statuses %s; Graph %s", run.line(), watch.statuses(),
                during.sortedCounts());
        WorkerThroughputBenchmark.say("%s %s: %s", setup.scenario(), setup.label(),
                watch.timeline(plan, Duration.ofSeconds(plan.size() > 20_000 ? 5 : 1)));
        return run;
    }
}
