package io.assignmentworker.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command-line tool for bulk rollouts, {@code iaw}: {@code submit} a file of requests, follow its
 * {@code status}, get its {@code failures} back as a file to fix and submit again. Its own artefact, without
 * Spring; the worker's request validation (the contract library) decides what is valid. See {@code docs/cli.md}.
 */
public final class Cli {

    private static final Set<String> COMMANDS = Set.of("submit", "status", "failures");
    private static final Set<String> HELP = Set.of("help", "--help", "-h");

    private Cli() {
    }

    /** Logs to stderr at WARN (or {@code IAW_LOG_LEVEL}), runs, and exits with the command's code. */
    public static void main(String[] args) {
        CliLogging.configure(System.getenv("IAW_LOG_LEVEL"));
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /**
     * Runs one command.
     *
     * @param env the environment (Kafka and Graph settings, as the worker reads them)
     * @return the exit code (see {@code docs/cli.md})
     */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || HELP.contains(args[0])) {
            out.print(Usage.text(args.length > 1 ? args[1] : null));
            return ExitCode.OK.code();
        }
        if (!COMMANDS.contains(args[0])) {
            err.println("iaw: unknown command '" + args[0] + "' (submit, status, failures, help)");
            return ExitCode.USAGE.code();
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(Usage.text(args[0]));
            return ExitCode.OK.code();
        }
        try {
            return command(args[0], rest, env, out, err).code();
        } catch (CliException e) {
            err.println("iaw " + args[0] + ": " + e.getMessage());
            if (e.exitCode() == ExitCode.USAGE && e.getMessage().contains("option")) {
                err.println("See: iaw " + args[0] + " --help");
            }
            return e.exitCode().code();
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static ExitCode command(String name, List<String> rest, Map<String, String> env, PrintStream out,
                                    PrintStream err) {
        switch (name) {
            case "submit": {
                Args args = Args.parse(rest, SubmitCommand.VALUED, SubmitCommand.SWITCHES);
                return new SubmitCommand(args, env, out, err).run();
            }
            case "status": {
                Args args = Args.parse(rest, KafkaAccess.OPTIONS, Set.of());
                return StatusCommand.run(args, KafkaAccess.from(args, env), out, err);
            }
            case "failures": {
                Args args = Args.parse(rest, FailuresCommand.VALUED, Set.of());
                return new FailuresCommand(args, KafkaAccess.from(args, env), out, err).run();
            }
            default:
                throw CliException.usage("unknown command " + name);
        }
    }
}
