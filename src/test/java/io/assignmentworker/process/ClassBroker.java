package io.assignmentworker.process;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One broker process for a whole test class: started (and its log watched for failure reports) before the
 * class's {@code @BeforeAll} methods, stopped after its {@code @AfterAll} methods. Register it as a static field
 * with {@code @RegisterExtension}; tests reach the broker with {@link #process()}.
 */
final class ClassBroker implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private final FailureLogs logs;
    private KafkaBrokerProcess process;

    ClassBroker(String name, FailureLogs logs) {
        this.name = name;
        this.logs = logs;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        process = KafkaBrokerProcess.start(name);
        logs.watchForClass("broker", process::log);
        process.awaitReady();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    KafkaBrokerProcess process() {
        if (process == null) {
            throw new IllegalStateException("the broker " + name + " runs only while its test class does");
        }
        return process;
    }
}
