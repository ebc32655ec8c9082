package io.assignmentworker.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Start-up settings of a {@link GraphEmulator}. Immutable; derive variants with the {@code with…} methods or
 * {@link #builder()}.
 *
 * @param tls                 serve https with the bundled self-signed certificate (default true)
 * @param port                TCP port on 127.0.0.1; 0 picks an ephemeral port (default 0)
 * @param tokenTtl            lifetime of issued access tokens (default 1 h)
 * @param writeBudget         writes (create, assign) a tenant may make per {@code budgetWindow} (default 100);
 *                            {@link #UNLIMITED} disables the limit
 * @param requestBudget       Graph requests a tenant may make per {@code budgetWindow} (default 1000);
 *                            {@link #UNLIMITED} disables the limit
 * @param budgetWindow        length of the sliding throttling window (default 20 s)
 * @param latency             mean added latency of every Graph call (default 0)
 * @param latencyJitter       the added latency varies uniformly by ± this amount (default 0)
 * @param omitRetryAfterRatio share of 429 replies sent without {@code Retry-After}, 0..1 (default 0)
 * @param retryAfterFormat    how {@code Retry-After} is written (default {@link RetryAfterFormat#SECONDS})
 * @param pageSize            assignments per list page; 0 disables paging (default 0)
 * @param seed                seed of the random source behind ratios and jitter, for reproducible runs
 * @param threads             size of the server's worker pool; latency is spent on these threads (default 200)
 * @param directoryChecks     whether every tenant starts with directory checks on: creates and {@code /assign}
 *                            refuse groups and assignment filters not registered with {@code addGroup} /
 *                            {@code addAssignmentFilter}, as Graph refuses ids its directory does not hold
 *                            (default false: any well-formed id is accepted; see
 *                            {@link TenantBehaviour#directoryChecks(boolean)} to change one tenant)
 */
public record EmulatorSettings(
        boolean tls,
        int port,
        Duration tokenTtl,
        int writeBudget,
        int requestBudget,
        Duration budgetWindow,
        Duration latency,
        Duration latencyJitter,
        double omitRetryAfterRatio,
        RetryAfterFormat retryAfterFormat,
        int pageSize,
        long seed,
        int threads,
        boolean directoryChecks) {

    /** Budget value that switches a throttling limit off. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    /** Validates the values so that a mistake fails at start-up rather than as odd behaviour later. */
    public EmulatorSettings {
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        Objects.requireNonNull(budgetWindow, "budgetWindow");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(latencyJitter, "latencyJitter");
        Objects.requireNonNull(retryAfterFormat, "retryAfterFormat");
        require(port >= 0 && port <= 65_535, "port must be 0..65535");
        require(!tokenTtl.isNegative() && !tokenTtl.isZero(), "tokenTtl must be positive");
        require(writeBudget > 0, "writeBudget must be positive");
        require(requestBudget > 0, "requestBudget must be positive");
        require(!budgetWindow.isNegative() && !budgetWindow.isZero(), "budgetWindow must be positive");
        require(!latency.isNegative() && !latencyJitter.isNegative(), "latency and jitter must not be negative");
        require(omitRetryAfterRatio >= 0 && omitRetryAfterRatio <= 1, "omitRetryAfterRatio must be 0..1");
        require(pageSize >= 0, "pageSize must not be negative");
        require(threads > 0, "threads must be positive");
    }

    /** The documented defaults: https, ephemeral port, 1 h tokens, 100 writes and 1000 requests per 20 s. */
    public static EmulatorSettings defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** These settings with {@code tls} replaced. */
    public EmulatorSettings withTls(boolean value) {
        return toBuilder().tls(value).build();
    }

    /** These settings with {@code port} replaced. */
    public EmulatorSettings withPort(int value) {
        return toBuilder().port(value).build();
    }

    /** These settings with {@code tokenTtl} replaced. */
    public EmulatorSettings withTokenTtl(Duration value) {
        return toBuilder().tokenTtl(value).build();
    }

    /** These settings with {@code writeBudget} replaced. */
    public EmulatorSettings withWriteBudget(int value) {
        return toBuilder().writeBudget(value).build();
    }

    /** These settings with {@code requestBudget} replaced. */
    public EmulatorSettings withRequestBudget(int value) {
        return toBuilder().requestBudget(value).build();
    }

    /** These settings with {@code budgetWindow} replaced. */
    public EmulatorSettings withBudgetWindow(Duration value) {
        return toBuilder().budgetWindow(value).build();
    }

    /** These settings with the latency mean and jitter replaced. */
    public EmulatorSettings withLatency(Duration mean, Duration jitter) {
        return toBuilder().latency(mean).latencyJitter(jitter).build();
    }

    /** These settings with {@code omitRetryAfterRatio} replaced. */
    public EmulatorSettings withOmitRetryAfterRatio(double value) {
        return toBuilder().omitRetryAfterRatio(value).build();
    }

    /** These settings with {@code retryAfterFormat} replaced. */
    public EmulatorSettings withRetryAfterFormat(RetryAfterFormat value) {
        return toBuilder().retryAfterFormat(value).build();
    }

    /** These settings with {@code pageSize} replaced. */
    public EmulatorSettings withPageSize(int value) {
        return toBuilder().pageSize(value).build();
    }

    /** These settings with {@code seed} replaced. */
    public EmulatorSettings withSeed(long value) {
        return toBuilder().seed(value).build();
    }

    /** These settings with {@code threads} replaced. */
    public EmulatorSettings withThreads(int value) {
        return toBuilder().threads(value).build();
    }

    /** These settings with {@code directoryChecks} replaced. */
    public EmulatorSettings withDirectoryChecks(boolean value) {
        return toBuilder().directoryChecks(value).build();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Mutable builder of {@link EmulatorSettings}; not thread-safe. */
    public static final class Builder {
        private boolean tls = true;
        private int port;
        private Duration tokenTtl = Duration.ofHours(1);
        private int writeBudget = 100;
        private int requestBudget = 1000;
        private Duration budgetWindow = Duration.ofSeconds(20);
        private Duration latency = Duration.ZERO;
        private Duration latencyJitter = Duration.ZERO;
        private double omitRetryAfterRatio;
        private RetryAfterFormat retryAfterFormat = RetryAfterFormat.SECONDS;
        private int pageSize;
        // Fixed rather than time-based, so that two runs with default settings make the same random choices.
        private long seed = 20_240_601L;
        private int threads = 200;
        private boolean directoryChecks;

        private Builder() {
        }

        private Builder(EmulatorSettings s) {
            tls = s.tls;
            port = s.port;
            tokenTtl = s.tokenTtl;
            writeBudget = s.writeBudget;
            requestBudget = s.requestBudget;
            budgetWindow = s.budgetWindow;
            latency = s.latency;
            latencyJitter = s.latencyJitter;
            omitRetryAfterRatio = s.omitRetryAfterRatio;
            retryAfterFormat = s.retryAfterFormat;
            pageSize = s.pageSize;
            seed = s.seed;
            threads = s.threads;
            directoryChecks = s.directoryChecks;
        }

        /** Serve https (true) or plain http (false). */
        public Builder tls(boolean value) { tls = value; return this; }
        /** TCP port; 0 for an ephemeral one. */
        public Builder port(int value) { port = value; return this; }
        /** Lifetime of issued tokens. */
        public Builder tokenTtl(Duration value) { tokenTtl = value; return this; }
        /** Default writes per window for every tenant. */
        public Builder writeBudget(int value) { writeBudget = value; return this; }
        /** Default requests per window for every tenant. */
        public Builder requestBudget(int value) { requestBudget = value; return this; }
        /** Length of the sliding throttling window. */
        public Builder budgetWindow(Duration value) { budgetWindow = value; return this; }
        /** Default mean latency of Graph calls. */
        public Builder latency(Duration value) { latency = value; return this; }
        /** Default ± jitter around the mean latency. */
        public Builder latencyJitter(Duration value) { latencyJitter = value; return this; }
        /** Share of 429 replies without {@code Retry-After}. */
        public Builder omitRetryAfterRatio(double value) { omitRetryAfterRatio = value; return this; }
        /** Format of {@code Retry-After}. */
        public Builder retryAfterFormat(RetryAfterFormat value) { retryAfterFormat = value; return this; }
        /** Assignments per list page, 0 for no paging. */
        public Builder pageSize(int value) { pageSize = value; return this; }
        /** Seed of the behaviour random source. */
        public Builder seed(long value) { seed = value; return this; }
        /** Worker threads of the server. */
        public Builder threads(int value) { threads = value; return this; }
        /** Whether tenants start with directory checks on (writes refuse unregistered groups and filters). */
        public Builder directoryChecks(boolean value) { directoryChecks = value; return this; }

        /** Validated settings. */
        public EmulatorSettings build() {
            return new EmulatorSettings(tls, port, tokenTtl, writeBudget, requestBudget, budgetWindow, latency,
                    latencyJitter, omitRetryAfterRatio, retryAfterFormat, pageSize, seed, threads, directoryChecks);
        }
    }
}
