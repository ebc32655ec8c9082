package io.assignmentworker.cli;

import picocli.CommandLine.Option;

/** {@code -o}, {@code --output}: text for people, JSON for pipelines ({@code schemas/iaw-output.schema.json}). */
final class OutputOption {

    /** The output formats. */
    enum Format { TEXT, JSON }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", order = 90,
            description = "text (default) or json: one JSON document on stdout (schemas/iaw-output.schema.json), "
                    + "progress and diagnostics on stderr")
    Format format = Format.TEXT;

    boolean json() {
        return format == Format.JSON;
    }
}
