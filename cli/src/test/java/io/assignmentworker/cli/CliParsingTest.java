package io.assignmentworker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as people who know kubectl and gh expect it: help, usage errors, version, completion. */
class CliParsingTest {

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "90s,PT1M30S", "30m,PT30M", "2h,PT2H", "PT45M,PT45M", "pt1h,PT1H"})
    void readsDurations(String text, Duration expected) {
        assertThat(Durations.parse("--timeout", text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"soon", "10", "-5m", "0s", "m"})
    void refusesWhatIsNotAPositiveDuration(String text) {
        assertThatThrownBy(() -> Durations.parse("--timeout", text)).isInstanceOf(CliException.class)
                .hasMessageStartingWith("--timeout");
    }

    @Test
    void aDurationOptionThatIsNoDurationIsAUsageError() {
        CliRun run = CliRun.of(Map.of(), "submit", "f.csv", "--wait", "--timeout", "soon");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("iaw submit: Invalid value for option '--timeout': 'soon' is not a duration "
                + "such as 90s, 30m, 2h or PT30M").contains("See: iaw submit --help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "help", "--help", "-h"})
    void printsTheGeneralHelp(String first) {
        CliRun help = first.isEmpty() ? CliRun.of(Map.of()) : CliRun.of(Map.of(), first);

        assertThat(help.exit()).as(help.transcript()).isZero();
        assertThat(help.out()).contains("iaw submit FILE").contains("iaw status ROLLOUT").contains("iaw failures")
                .contains("iaw list").contains("completion").contains("Exit codes:");
        assertThat(help.err()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"submit,--skip-invalid", "status,--wait", "failures,--out", "list,--limit", "completion,bash"})
    void everyCommandHasItsHelpWithHelpAndDashDashHelpAndDashH(String command, String mentioned) {
        for (CliRun help : new CliRun[] {CliRun.of(Map.of(), "help", command), CliRun.of(Map.of(), command, "--help"),
                CliRun.of(Map.of(), command, "-h")}) {
            assertThat(help.exit()).as(help.transcript()).isZero();
            assertThat(help.out()).contains("iaw " + command).contains(mentioned).contains("-h, --help");
        }
        assertThat(CliRun.of(Map.of(), "submit", "--help").out()).contains("--bootstrap-servers")
                .contains("--connect-timeout").contains("-o, --output");
    }

    @Test
    void unknownOptionsAndCommandsAreUsageErrorsWithAHint() {
        CliRun typo = CliRun.of(Map.of(), "submit", "f.csv", "--wiat");
        CliRun command = CliRun.of(Map.of(), "stauts", "r-1");
        CliRun both = CliRun.of(Map.of(), "submit", "f.csv", "--wait", "--dry-run");
        CliRun missing = CliRun.of(Map.of(), "status");
        CliRun extra = CliRun.of(Map.of(), "status", "a", "b");
        CliRun noOut = CliRun.of(Map.of(), "failures", "r-1");

        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).contains("iaw submit: unknown option --wiat").contains("Did you mean --wait?")
                .contains("See: iaw submit --help");
        assertThat(typo.out()).isEmpty();
        assertThat(command.exit()).isEqualTo(2);
        assertThat(command.err()).contains("iaw: unknown command 'stauts'").contains("Did you mean status?")
                .contains("See: iaw --help");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("nothing to --wait for");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("ROLLOUT").contains("See: iaw status --help");
        assertThat(extra.exit()).isEqualTo(2);
        assertThat(extra.err()).contains("unexpected argument 'b'");
        assertThat(noOut.exit()).isEqualTo(2);
        assertThat(noOut.err()).contains("--out FILE is required");
    }

    @Test
    void printsItsVersion() {
        CliRun version = CliRun.of(Map.of(), "--version");

        assertThat(version.exit()).isZero();
        // from classes there is no manifest: "dev"; from the jar, the project version
        assertThat(version.out().strip()).matches("iaw (dev|\\d+\\.\\d+\\.\\d+.*)");
    }

    @Test
    void printsABashCompletionScript() {
        CliRun bash = CliRun.of(Map.of(), "completion", "bash");
        CliRun fish = CliRun.of(Map.of(), "completion", "fish");

        assertThat(bash.exit()).as(bash.transcript()).isZero();
        assertThat(bash.out()).contains("complete -F").contains("iaw").contains("--bootstrap-servers")
                .contains("failures");
        assertThat(fish.exit()).isEqualTo(2);
        assertThat(fish.err()).contains("no completion for 'fish'");
    }

    @Test
    void readsTheFileFromStdinForDash() {
        CliRun run = CliRun.withStdin(Map.of(), "policyId,targetType\nnot-a-guid,allUsers\n", "submit", "-");

        assertThat(run.exit()).as(run.transcript()).isEqualTo(2);
        assertThat(run.err()).contains("stdin: 1 of 1 lines are invalid; nothing was published")
                .contains("line 2: policyId: must be a GUID");
    }

    @Test
    void saysAtOnceWhereItConnectsAndGivesUpAfterTheConnectTimeout() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Instant start = Instant.now();
        CliRun run = CliRun.of(Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + closed), "status", "r-1",
                "--connect-timeout", "1s");
        Duration took = Duration.between(start, Instant.now());

        assertThat(run.exit()).as(run.transcript()).isEqualTo(ExitCode.UNAVAILABLE.code());
        assertThat(run.err()).startsWith("Connecting to Kafka at 127.0.0.1:" + closed + " …")
                .contains("iaw status: Kafka unreachable at 127.0.0.1:" + closed + " after 1s: ")
                .contains("--bootstrap-servers");
        assertThat(run.out()).isEmpty();
        assertThat(took).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void takesTheConnectTimeoutFromTheEnvironment() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliRun run = CliRun.of(Map.of("IAW_CONNECT_TIMEOUT", "500ms"), "list", "-b", "127.0.0.1:" + closed);
        CliRun wrong = CliRun.of(Map.of("IAW_CONNECT_TIMEOUT", "soon"), "list", "-b", "127.0.0.1:" + closed);

        assertThat(run.exit()).as(run.transcript()).isEqualTo(6);
        assertThat(run.err()).contains("Kafka unreachable at 127.0.0.1:" + closed + " after 500ms");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).contains("IAW_CONNECT_TIMEOUT: 'soon' is not a duration");
    }

    @Test
    void ctrlCWhileFollowingSaysHowToFollowAgain() {
        assertThat(FollowHint.message("wave-1")).isEqualTo("Interrupted: stopped following wave-1; the rollout goes "
                + "on. Follow it again with: iaw status wave-1 --wait");
    }

    @Test
    void colourOnlyOnATerminalAndNeverWithNoColor() {
        assertThat(Invocation.Colour.of(Map.of("IAW_STDOUT_TTY", "1", "IAW_STDERR_TTY", "1")))
                .isEqualTo(new Invocation.Colour(true, true));
        assertThat(Invocation.Colour.of(Map.of("IAW_STDOUT_TTY", "1", "IAW_STDERR_TTY", "1", "NO_COLOR", "1")))
                .isEqualTo(new Invocation.Colour(false, false));
        assertThat(Invocation.Colour.of(Map.of("IAW_STDOUT_TTY", "0", "IAW_STDERR_TTY", "0")))
                .isEqualTo(new Invocation.Colour(false, false));
        CliRun coloured = CliRun.of(Map.of("IAW_STDOUT_TTY", "1", "IAW_STDERR_TTY", "1"), "status", "--wiat");
        assertThat(coloured.err()).contains("\u001B[");
        CliRun plain = CliRun.of(Map.of("IAW_STDOUT_TTY", "0", "IAW_STDERR_TTY", "0"), "status", "--wiat");
        assertThat(plain.err()).doesNotContain("\u001B[");
    }

    @Test
    void progressIsABarOnATerminalAndPlainLinesElsewhere() {
        var bytes = new ByteArrayOutputStream();
        var view = new RolloutView("r-1", 40L, 10, 8, 1, 1, 0, 0, 0, Map.of("NOT_FOUND", 1L), null, false, null, false);
        Progress bar = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, Duration.ofSeconds(10));
        bar.update(view);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .startsWith("\r[#######.......................] 10/40  25%  created 8  already 1  failed 1");

        bytes.reset();
        Progress lines = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false,
                Duration.ofSeconds(10));
        lines.update(view);
        lines.update(view);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("[iaw] 0s  10 of 40 answered (25%): created 8, "
                + "already existed 1, failed 1" + System.lineSeparator());
    }
}
