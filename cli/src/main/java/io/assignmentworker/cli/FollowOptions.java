package io.assignmentworker.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** How {@code --wait} follows a rollout: {@code submit}, {@code status} and {@code rollback} share them. */
final class FollowOptions {

    @Option(names = {"-t", "--timeout"}, paramLabel = "DURATION", order = 2, converter = Durations.Converter.class,
            description = "how long --wait waits (default 30m; e.g. 90s, 2h, PT30M)")
    Duration timeout = Duration.ofMinutes(30);

    @Option(names = "--progress-interval", paramLabel = "DURATION", order = 3, converter = Durations.Converter.class,
            description = "how often --wait prints a line when stderr is not a terminal (default 10s)")
    Duration interval = Duration.ofSeconds(10);

    /** The progress display on {@code err}: a bar on a terminal, a line every {@code --progress-interval} else. */
    Progress progress(PrintStream err, Map<String, String> env) {
        return new Progress(err, Terminal.stderrIsTerminal(env), interval);
    }
}
