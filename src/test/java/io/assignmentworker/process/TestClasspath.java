package io.assignmentworker.process;

import java.io.File;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The classpath of this test run, for child JVMs that need the broker classes the test classpath carries. */
final class TestClasspath {

    private TestClasspath() {
    }

    /**
     * Surefire and failsafe may start the fork with a manifest-only jar, so {@code java.class.path} can be a
     * single booter jar; the real classpath is then in {@code surefire.test.class.path}.
     */
    static String value() {
        String classpath = System.getProperty("surefire.test.class.path");
        if (classpath == null || classpath.isBlank()) {
            classpath = System.getProperty("java.class.path");
        }
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
