package io.assignmentworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.local.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's "Your first rollout" as a new user runs it: the local stack kept running, its iaw environment,
 * then every {@code bin/iaw} and {@code sed} line of that README block, in order, with the sample file, against
 * the stack. A README that drifts from what the tool and the stack do fails here.
 */
class FirstRolloutTest {

    private static final Pattern ROLLOUT_ID = Pattern.compile("Rollout (wave-1-[0-9TZ.]+)");

    @TempDir
    static Path dir;

    static LocalStack stack;
    static Map<String, String> env;

    @BeforeAll
    static void startTheLocalStack() throws Exception {
        stack = LocalStack.start(dir.resolve("local-run"), new LocalStack.Settings(0, 0, 1000, false, 1));
        env = environment(stack.writeIawEnvironment());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void theReadmesFirstRolloutWorksAsWritten() throws Exception {
        List<String> commands = readmeBlock();
        assertThat(commands).as("the README's first-rollout commands").hasSizeGreaterThanOrEqualTo(5);
        String rolloutId = null;
        List<CliRun> runs = new ArrayList<>();
        for (String command : commands) {
            String line = command.replaceAll("\\s+#.*$", "").trim();
            if (line.startsWith("sed -i ")) {
                sed(line);
                continue;
            }
            if (!line.startsWith("bin/iaw ")) {
                continue;
            }
            String[] args = inDir(line.substring("bin/iaw ".length())
                    .replace("<rolloutId>", String.valueOf(rolloutId))).split(" ");
            CliRun run = CliRun.of(env, args);
            runs.add(run);
            Matcher id = ROLLOUT_ID.matcher(run.out() + run.err());
            if (rolloutId == null && id.find()) {
                rolloutId = id.group(1);
            }
        }

        assertThat(runs).hasSize(8);
        CliRun dryRun = runs.get(0);
        assertThat(dryRun.exit()).as(dryRun.transcript()).isEqualTo(1);
        assertThat(dryRun.out()).as(dryRun.transcript()).contains("15 would create").contains("2 with problems")
                .contains("policy not found");
        CliRun submit = runs.get(1);
        assertThat(submit.exit()).as(submit.transcript()).isEqualTo(1);
        assertThat(submit.out() + submit.err()).as(submit.transcript()).containsPattern("CREATED \\(new\\) +15")
                .containsPattern("FAILED NOT_FOUND +2");
        CliRun failures = runs.get(2);
        assertThat(failures.exit()).as(failures.transcript()).isZero();
        CliRun resubmit = runs.get(3);
        assertThat(resubmit.exit()).as(resubmit.transcript()).isZero();
        assertThat(resubmit.out() + resubmit.err()).containsPattern("CREATED \\(new\\) +2");
        CliRun nextWave = runs.get(4);
        assertThat(nextWave.exit()).as(nextWave.transcript()).isZero();
        CliRun json = runs.get(5);
        JsonNode status = JsonMapper.builder().build().readTree(json.out());
        assertThat(status.path("kind").asString()).as(json.transcript()).isEqualTo("status");
        assertThat(status.path("rolloutId").asString()).isEqualTo(rolloutId);
        assertThat(status.path("created").asInt()).isEqualTo(15);
        assertThat(status.path("failedByCategory").path("NOT_FOUND").asInt()).isEqualTo(2);
        assertThat(status.path("complete").asBoolean()).isTrue();
        assertThat(OutputSchema.violations(status)).isEmpty();
        CliRun plan = runs.get(6);
        assertThat(plan.exit()).as(plan.transcript()).isZero();
        assertThat(plan.out()).as(plan.transcript()).contains("15 changes to undo").contains("remove")
                .contains("Nothing was published (--dry-run).");
        CliRun rollback = runs.get(7);
        assertThat(rollback.exit()).as(rollback.transcript()).isZero();
        assertThat(rollback.out() + rollback.err()).as(rollback.transcript()).containsPattern("REMOVED +15");
    }

    /** The lines of the README's code block under "Your first rollout". */
    private static List<String> readmeBlock() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String section = readme.substring(readme.indexOf("### Your first rollout"));
        String block = section.substring(section.indexOf("```bash") + "```bash".length());
        return block.substring(0, block.indexOf("```")).lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    /** Files the commands write (failed.csv) go to the test's directory; the samples stay where they are. */
    private static String inDir(String args) {
        return args.replace(" failed.csv", " " + dir.resolve("failed.csv"));
    }

    private static void sed(String line) throws Exception {
        Matcher sed = Pattern.compile("sed -i 's/([^/]+)/([^/]+)/' (\\S+)").matcher(line);
        assertThat(sed.find()).as("a sed line this test understands: " + line).isTrue();
        Path file = Path.of(inDir(" " + sed.group(3)).trim());
        Files.writeString(file, Files.readString(file).replace(sed.group(1), sed.group(2)));
    }

    /** {@code export NAME=value} lines, as {@code . iaw.env} would set them. */
    private static Map<String, String> environment(Path file) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("export ")) {
                String[] pair = line.substring("export ".length()).split("=", 2);
                env.put(pair[0], pair[1].replaceAll("^'|'$", ""));
            }
        }
        return env;
    }
}
