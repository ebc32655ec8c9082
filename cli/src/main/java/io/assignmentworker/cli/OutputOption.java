package io.assignmentworker.cli;

import picocli.CommandLine.Option;

/** {@code -o}, {@code --output}: text for people, JSON for pipelines ({@code schemas/iaw-output.schema.json}). */
final class OutputOption {

    /** The output formats. */
    enum Format { TEXT, JSON }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", order = 90, converter = FormatConverter.class,
            completionCandidates = FormatNames.class,
            description = "text (default) or json: one JSON document on stdout (schemas/iaw-output.schema.json), "
                    + "progress and diagnostics on stderr")
    Format format = Format.TEXT;

    /** {@code text} or {@code json}, in any case; anything else is a usage error that lists both. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "text" -> Format.TEXT;
                case "json" -> Format.JSON;
                default -> throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not an output format: text or json");
            };
        }
    }

    /** For completion. */
    static final class FormatNames extends java.util.ArrayList<String> {
        FormatNames() {
            super(java.util.List.of("text", "json"));
        }
    }

    boolean json() {
        return format == Format.JSON;
    }
}
