package io.assignmentworker.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What ships is the worker alone: the packaged jar (which the image is built from, layer by layer) holds no
 * emulator or command-line class, no emulator or CLI artefact, and no key store or key, in its own classes or in
 * any library it carries.
 */
class ProductionJarIT {

    private static final Path JAR = Path.of("target", "intune-assignment-worker.jar");
    private static final List<String> KEY_FILES = List.of(".p12", ".pfx", ".jks", ".pem", ".key");

    private static final List<String> entries = new ArrayList<>();

    @BeforeAll
    static void listEveryEntryIncludingNestedJars() throws IOException {
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            for (ZipEntry entry : jar.stream().toList()) {
                entries.add(entry.getName());
                if (entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar")) {
                    try (InputStream nested = jar.getInputStream(entry)) {
                        nestedEntries(entry.getName(), nested);
                    }
                }
            }
        }
    }

    @Test
    void holdsTheWorkerAndTheContractItIsBuiltOn() {
        assertThat(entries).contains("BOOT-INF/classes/io/assignmentworker/WorkerApplication.class")
                .anyMatch(name -> name.matches("BOOT-INF/lib/intune-assignment-contract-.*\\.jar!/io/assignmentworker/"
                        + "request/RequestDecoder\\.class"));
    }

    @Test
    void holdsNoEmulatorAndNoCommandLineTool() {
        assertThat(entries)
                .noneMatch(name -> name.contains("io/assignmentworker/emulator/"))
                .noneMatch(name -> name.contains("io/assignmentworker/cli/"))
                .noneMatch(name -> name.startsWith("BOOT-INF/lib/graph-emulator"))
                .noneMatch(name -> name.startsWith("BOOT-INF/lib/intune-assignment-cli"));
    }

    @Test
    void holdsNoKeyStoreAndNoKey() {
        assertThat(entries).noneMatch(name -> {
            String lower = name.toLowerCase(Locale.ROOT);
            return (name.startsWith("BOOT-INF/classes/") || name.contains("intune-assignment-contract"))
                    && KEY_FILES.stream().anyMatch(lower::endsWith);
        });
        assertThat(entries).noneMatch(name -> name.contains("/emulator/"));
    }

    private static void nestedEntries(String jarName, InputStream nested) throws IOException {
        ZipInputStream zip = new ZipInputStream(nested);
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            entries.add(jarName + "!/" + entry.getName());
        }
    }
}
