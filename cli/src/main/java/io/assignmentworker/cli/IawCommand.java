package io.assignmentworker.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code iaw} itself: without a command it prints its help, as {@code kubectl} and {@code gh} do. */
@Command(name = "iaw", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        header = "iaw — bulk rollouts of Intune compliance-policy assignments through intune-assignment-worker",
        synopsisHeading = "%nUsage:%n  ",
        customSynopsis = "iaw COMMAND [options]",
        description = {
            "",
            "  iaw submit FILE [-w [-t 30m]] [--skip-invalid] [--dry-run] [-o json]",
            "  iaw status ROLLOUT [-w] [-o json]",
            "  iaw failures ROLLOUT --out FILE|- [--format csv|jsonl] [-o json]",
            "  iaw list [-n 20] [-o json]",
            "  iaw plan FILE [-o json]",
            "  iaw rollback ROLLOUT [--dry-run] [-w] [-o json]",
            "  iaw ledger [--policy ID] [--rollout ID] [-o json]",
            "",
            "FILE is CSV (header tenantId,policyId,targetType,groupId,collectionId,filterId,filterType,source,"
                    + "sourceId[,operation]) or JSON Lines; - reads it from stdin."},
        commandListHeading = "%nCommands:%n",
        optionListHeading = "%nOptions:%n",
        footerHeading = "%n",
        footer = {
            "Exit codes: 0 done and all created, 1 some failed, 2 usage or invalid lines, 3 --wait timed out, "
                    + "4 not complete yet, 5 unknown rollout, 6 Kafka or Graph unavailable, 130 interrupted (Ctrl-C).",
            "Shell completion: source <(iaw completion bash).  Documentation: docs/cli.md",
            "Run 'iaw help COMMAND' or 'iaw COMMAND --help' for a command's options."},
        subcommands = {SubmitCommand.class, StatusCommand.class, FailuresCommand.class, ListCommand.class,
            RollbackCommand.class, PlanCommand.class, LedgerCommand.class,
            CompletionCommand.class, HelpCommand.class})
final class IawCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final Invocation invocation;

    IawCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    Invocation invocation() {
        return invocation;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCode.OK.code();
    }
}
