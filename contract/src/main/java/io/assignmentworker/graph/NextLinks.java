package io.assignmentworker.graph;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Which {@code @odata.nextLink} may be followed: only an absolute URL on Graph's own origin (scheme, host, port),
 * because the bearer token goes wherever the link points. The worker and the command-line tool's reads both ask
 * here.
 */
public final class NextLinks {

    private NextLinks() {
    }

    /** The link as a URI when it may be followed from {@code graphBase}; empty otherwise. */
    public static Optional<URI> followable(URI graphBase, String link) {
        if (link == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(link);
            boolean sameOrigin = uri.isAbsolute() && graphBase.getScheme().equals(uri.getScheme())
                    && uri.getHost() != null && graphBase.getHost().equalsIgnoreCase(uri.getHost())
                    && graphBase.getPort() == uri.getPort();
            return sameOrigin ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
