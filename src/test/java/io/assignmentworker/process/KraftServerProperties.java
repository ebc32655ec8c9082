package io.assignmentworker.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code server.properties} of a single-node KRaft broker that is its own controller, on loopback only.
 *
 * @param port           the PLAINTEXT listener clients use
 * @param controllerPort the CONTROLLER listener (the one-voter quorum)
 * @param logDir         where the broker keeps its data; it survives restarts
 */
record KraftServerProperties(int port, int controllerPort, Path logDir) {

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    Path writeTo(Path file) {
        String text = """
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                log.dirs=%3$s
                num.partitions=1
                # Topics appear only when the worker creates them, as in production; a test that reads a topic
                # too early then waits for it instead of silently creating it with the wrong partition count.
                auto.create.topics.enable=false
                # One node: the internal topics cannot be replicated.
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=5
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=5
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                # A new consumer group starts at once instead of waiting for more members.
                group.initial.rebalance.delay.ms=0
                # Transactions of a killed producer are aborted soon after their timeout (default check: 10 s).
                transaction.abort.timed.out.transaction.cleanup.interval.ms=2000
                """.formatted(port, controllerPort, logDir.toAbsolutePath());
        try {
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
