package io.assignmentworker.emulator;

/**
 * How the emulator writes the {@code Retry-After} header of a 429 reply.
 *
 * <p>RFC 9110 allows either a whole number of seconds or an HTTP-date; Graph sends whole seconds.
 * The fractional form is not standard but some gateways send it, so clients should survive it.
 */
public enum RetryAfterFormat {
    /** Whole seconds, rounded up ({@code Retry-After: 3}); what Graph sends. */
    SECONDS,
    /** Seconds with a fraction ({@code Retry-After: 2.250}); non-standard, tests client robustness. */
    FRACTIONAL_SECONDS,
    /** An RFC 1123 HTTP-date ({@code Retry-After: Fri, 31 Dec 1999 23:59:59 GMT}), rounded up to the second. */
    HTTP_DATE
}
