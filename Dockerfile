# syntax=docker/dockerfile:1
#
# intune-assignment-worker container image.
#
#   docker build -t intune-assignment-worker:0.1.0-SNAPSHOT .
#
# Needs BuildKit (the default of current Docker and of `docker compose`): the Maven repository is a cache mount.
#
# Stage 1 builds the jar with the Maven wrapper on a JDK 17 (the project's target release), stage 2 splits it
# into Spring Boot's layers (dependencies change rarely, the application often), stage 3 runs it on a JRE 21
# as an unprivileged user. The image holds the worker alone: the Graph + Entra ID emulator of the demo stack has
# its own image (emulator/Dockerfile), and CI checks that no emulator class or key is in the worker's jar.
# Nothing secret is baked in: credentials arrive as environment variables at run time.

ARG BUILD_IMAGE=eclipse-temurin:17.0.16_8-jdk-noble
ARG RUNTIME_IMAGE=eclipse-temurin:21.0.8_9-jre-noble

############################ build ############################
FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# The reactor: every module's POM (Maven reads them all), the worker's code (top-level src/) and the modules it
# is built with. Maven's repository is a cache mount, so dependencies download once.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY worker/pom.xml worker/
COPY contract/ contract/
COPY emulator/ emulator/
COPY cli/ cli/
COPY src/ src/
COPY schemas/ schemas/
# Tests run in CI (`.ci/run`); the image build only packages the worker (and what its build needs; its tests use
# the emulator and the CLI, which are compiled but never copied into the image).
RUN --mount=type=cache,target=/root/.m2 \
    chmod +x mvnw && ./mvnw -B -ntp -q -DskipTests -pl worker -am package \
 && cp target/intune-assignment-worker.jar /build/application.jar

############################ layers ###########################
FROM ${RUNTIME_IMAGE} AS layers
WORKDIR /layers
COPY --from=build /build/application.jar application.jar
# Spring Boot's tools jar mode: one directory per layer (dependencies, spring-boot-loader,
# snapshot-dependencies, application), each holding the exploded jar's tree, launcher included.
RUN java -Djarmode=tools -jar application.jar extract --layers --launcher --destination extracted

############################ runtime ##########################
FROM ${RUNTIME_IMAGE} AS runtime
LABEL org.opencontainers.image.title="intune-assignment-worker" \
      org.opencontainers.image.description="Rolls out Microsoft Intune compliance-policy assignments from Kafka through Microsoft Graph"

# A fixed, unprivileged UID/GID (Kubernetes' runAsNonRoot needs a numeric user to verify it).
ARG APP_UID=10001
RUN groupadd --system --gid ${APP_UID} app \
 && useradd --system --uid ${APP_UID} --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app
# Least-changing layer first, so a code change only replaces the last layer.
COPY --from=layers --chown=root:root /layers/extracted/dependencies/ ./
COPY --from=layers --chown=root:root /layers/extracted/spring-boot-loader/ ./
COPY --from=layers --chown=root:root /layers/extracted/snapshot-dependencies/ ./
COPY --from=layers --chown=root:root /layers/extracted/application/ ./

# Files are root-owned and read-only for the app user; only /tmp is written (Tomcat work dir, JVM perf data),
# which Kubernetes mounts as an emptyDir when the root filesystem is read-only.
USER 10001:10001

# Container-aware heap sizing; more JVM flags can be passed with JAVA_TOOL_OPTIONS.
ENV SERVER_PORT=8080
EXPOSE 8080

# Exec form: the JVM is PID 1 and receives SIGTERM directly, so the worker's graceful shutdown
# (WORKER_INTAKE_SHUTDOWN_GRACE) runs.
# The parallel collector, whatever the pod's size: the worker's garbage is short-lived and it wants throughput, not
# the shortest pauses (its deadlines are seconds). On 2 cores it took a fifth less CPU per request than G1, the
# JVM's own choice from 1792 MB and 2 CPUs up (docs/benchmarks.md, "CPU per request"); the benchmark's worker uses it too.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError", "-cp", "/app", "org.springframework.boot.loader.launch.JarLauncher"]
