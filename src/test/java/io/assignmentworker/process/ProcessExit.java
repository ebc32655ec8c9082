package io.assignmentworker.process;

import java.time.Duration;

/**
 * How a child process ended.
 *
 * @param code   its exit status (137 after SIGKILL, 143 for a JVM that ended on SIGTERM without exiting itself)
 * @param took   from the signal to the end of the process
 * @param forced whether it had to be killed because it did not end in time
 */
record ProcessExit(int code, Duration took, boolean forced) {
}
