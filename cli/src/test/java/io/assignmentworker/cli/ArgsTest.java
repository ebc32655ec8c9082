package io.assignmentworker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hand-written argument parser, help and usage errors. */
class ArgsTest {

    @Test
    void takesOptionsWithSpaceOrEqualsFlagsAndPositionalsInAnyOrder() {
        Args args = Args.parse(List.of("--wait", "file.csv", "--rollout-id=r-1", "--timeout", "90s"),
                Set.of("rollout-id", "timeout"), Set.of("wait"));

        assertThat(args.positional(0, "FILE")).isEqualTo("file.csv");
        assertThat(args.option("rollout-id")).hasValue("r-1");
        assertThat(args.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
        assertThat(args.flag("wait")).isTrue();
        assertThat(args.flag("dry-run")).isFalse();
    }

    @Test
    void refusesUnknownOptionsMissingValuesAndExtraArguments() {
        assertThatThrownBy(() -> Args.parse(List.of("--wiat"), Set.of(), Set.of("wait")))
                .hasMessage("unknown option --wiat");
        assertThatThrownBy(() -> Args.parse(List.of("--timeout"), Set.of("timeout"), Set.of()))
                .hasMessage("--timeout needs a value");
        assertThatThrownBy(() -> Args.parse(List.of("a", "b"), Set.of(), Set.of()).atMostPositionals(1))
                .hasMessage("unexpected argument 'b'");
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "90s,PT1M30S", "30m,PT30M", "2h,PT2H", "PT45M,PT45M", "pt1h,PT1H"})
    void readsDurations(String text, Duration expected) {
        assertThat(Args.parseDuration("--timeout", text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"soon", "10", "-5m", "0s", "m"})
    void refusesWhatIsNotAPositiveDuration(String text) {
        assertThatThrownBy(() -> Args.parseDuration("--timeout", text)).isInstanceOf(CliException.class)
                .hasMessageStartingWith("--timeout");
    }

    @Test
    void printsHelpAndAnswersUsageErrorsWithExitCode2() {
        CliRun help = CliRun.of(Map.of(), "help");
        CliRun submitHelp = CliRun.of(Map.of(), "submit", "--help");
        CliRun typo = CliRun.of(Map.of(), "submit", "f.csv", "--wiat");
        CliRun both = CliRun.of(Map.of(), "submit", "f.csv", "--wait", "--dry-run");

        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("iaw submit FILE").contains("iaw status ROLLOUT").contains("iaw failures");
        assertThat(submitHelp.out()).contains("--skip-invalid").contains("--bootstrap-servers");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("iaw submit: unknown option --wiat").contains("See: iaw submit --help");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("nothing to --wait for");
    }

    @Test
    void failsClearlyWhenKafkaCannotBeReached(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path config = java.nio.file.Files.writeString(dir.resolve("client.properties"),
                "request.timeout.ms=500\ndefault.api.timeout.ms=1000\n");
        CliRun run = CliRun.of(Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1"), "status", "r-1",
                "--kafka-config", config.toString());

        assertThat(run.exit()).isEqualTo(6);
        assertThat(run.err()).contains("cannot reach Kafka at 127.0.0.1:1");
    }

    @Test
    void progressIsABarOnATerminalAndPlainLinesElsewhere() {
        var bytes = new java.io.ByteArrayOutputStream();
        var view = new RolloutView("r-1", 40L, 10, 8, 1, 1, Map.of("NOT_FOUND", 1L), null, false, null, false);
        Progress bar = new Progress(new java.io.PrintStream(bytes, true), true, Duration.ofSeconds(10));
        bar.update(view);
        assertThat(bytes.toString()).startsWith("\r[#######.......................] 10/40  25%  created 8  already 1  failed 1");

        bytes.reset();
        Progress lines = new Progress(new java.io.PrintStream(bytes, true), false, Duration.ofSeconds(10));
        lines.update(view);
        lines.update(view);
        assertThat(bytes.toString()).isEqualTo("[iaw] 0s  10 of 40 answered (25%): created 8, already existed 1, "
                + "failed 1" + System.lineSeparator());
    }
}
