package io.assignmentworker.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The files in {@code samples/} name what the local run's tenant holds, so that a new user's first dry run and
 * submit find their policies, groups and filter: all but the one policy wave 1 names as deleted on purpose.
 */
class SampleFilesTest {

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String DELETED_POLICY = "e5e228ba-5e27-3c54-a3df-10f586e170dc";

    @Test
    void everyIdTheSamplesNameExistsInTheLocalTenantButTheDeletedPolicy() throws Exception {
        Path directory = Files.createTempFile("directory", ".csv");
        new LocalDirectory(1).write(directory);
        Set<String> known = new HashSet<>(List.of(LocalDirectory.TENANT));
        Files.readAllLines(directory).stream().skip(1).forEach(line -> known.add(line.split(",")[1]));

        Set<String> named = new HashSet<>();
        for (String file : List.of("samples/wave-1.csv", "samples/wave-2.jsonl")) {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (!line.startsWith("#")) {
                    Matcher ids = GUID.matcher(line);
                    while (ids.find()) {
                        named.add(ids.group());
                    }
                }
            }
        }

        assertThat(named).hasSizeGreaterThan(20).contains(DELETED_POLICY);
        named.remove(DELETED_POLICY);
        assertThat(known).containsAll(named).doesNotContain(DELETED_POLICY);
    }
}
