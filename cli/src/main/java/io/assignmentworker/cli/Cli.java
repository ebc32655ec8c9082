package io.assignmentworker.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * The command-line tool for bulk rollouts, {@code iaw}: {@code submit} a file of requests, follow its
 * {@code status}, get its {@code failures} back as a file to fix and submit again, {@code list} the recent
 * rollouts. Its own artefact, without Spring; the worker's request validation (the contract library) decides what
 * is valid. Parsing, help and completion are picocli's; see {@code docs/cli.md}.
 */
public final class Cli {

    /** Help lines are wrapped at this width, or at the terminal's. */
    private static final int USAGE_WIDTH = 110;

    private Cli() {
    }

    /** Logs to stderr at WARN (or {@code IAW_LOG_LEVEL}), runs, and exits with the command's code. */
    public static void main(String[] args) {
        CliLogging.configure(System.getenv("IAW_LOG_LEVEL"));
        System.exit(run(args, System.getenv(), System.in, System.out, System.err));
    }

    /** {@link #run(String[], Map, InputStream, PrintStream, PrintStream)} with nothing on stdin. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, InputStream.nullInputStream(), out, err);
    }

    /**
     * Runs one command.
     *
     * @param env the environment (Kafka and Graph settings, as the worker reads them)
     * @param in  stdin, for {@code submit -}
     * @return the exit code (see {@code docs/cli.md})
     */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        Invocation invocation = new Invocation(env, in, out, err, Invocation.Colour.of(env));
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        try {
            return commandLine(invocation, outWriter, errWriter).execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine(Invocation invocation, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new IawCommand(invocation), new Factory(invocation));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(
                CommandLine.Help.Ansi.valueOf(invocation.colour().out())));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setUsageHelpWidth(USAGE_WIDTH);
        commandLine.setUsageHelpAutoWidth(invocation.colour().out());
        commandLine.setParameterExceptionHandler(new UsageErrors(invocation));
        commandLine.setExecutionExceptionHandler((e, failed, parsed) -> {
            if (e instanceof CliException known) {
                failed.getErr().println(invocation.colour().err("@|bold,red " + failed.getCommandSpec()
                        .qualifiedName() + ":|@ ") + known.getMessage());
                return known.exitCode().code();
            }
            throw e;
        });
        return commandLine;
    }

    /** Commands are built with the run's {@link Invocation}; picocli's own classes as picocli builds them. */
    private record Factory(Invocation invocation) implements CommandLine.IFactory {

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(Invocation.class).newInstance(invocation);
            } catch (NoSuchMethodException noInvocation) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
