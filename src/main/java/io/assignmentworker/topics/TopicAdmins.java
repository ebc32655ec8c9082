package io.assignmentworker.topics;

import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;

/** Opens the admin client {@link MissingTopics} checks and creates topics with; a seam for tests. */
@FunctionalInterface
public interface TopicAdmins extends Supplier<Admin> {
}
