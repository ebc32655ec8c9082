package io.assignmentworker.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code iaw completion bash}: a completion script for the shell, as {@code kubectl completion bash} prints. */
@Command(name = "completion", header = "Print a shell completion script: source <(iaw completion bash)",
        customSynopsis = "iaw completion bash",
        footer = {"", "Bash and zsh (with bashcompinit):", "  source <(bin/iaw completion bash)"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "SHELL",
            description = "bash (zsh reads it too, after autoload bashcompinit; bashcompinit)",
            completionCandidates = Shells.class)
    String shell;

    /** The shells there is a script for. */
    static final class Shells extends java.util.ArrayList<String> {
        Shells() {
            super(java.util.List.of("bash"));
        }
    }

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "no completion for '" + shell + "'; there is one for bash (zsh reads it too)");
        }
        spec.commandLine().getOut().print(AutoComplete.bash("iaw", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return ExitCode.OK.code();
    }
}
