package io.assignmentworker.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-driven paging of assignment lists. The {@code $skiptoken} is opaque to clients (Graph's contract: follow
 * {@code @odata.nextLink} verbatim), so it is an encoded offset rather than anything a client could construct.
 */
final class AssignmentPages {
    private static final String PREFIX = "offset:";
    private static final String EXPIRED_PREFIX = "expired:";

    private AssignmentPages() {
    }

    /**
     * @param listUrl absolute URL of the list without query, used to build {@code @odata.nextLink}
     * @param query   the request's query parameters
     */
    static ObjectNode page(List<ObjectNode> all, int pageSize, String contextUrl, String listUrl,
                           Map<String, String> query) {
        int offset = offset(query.get("$skiptoken"));
        int end = pageSize > 0 ? Math.min(all.size(), offset + pageSize) : all.size();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("@odata.context", contextUrl);
        if (end < all.size()) {
            root.put("@odata.nextLink", listUrl + "?$skiptoken=" + token(end));
        }
        ArrayNode value = root.putArray("value");
        for (int i = Math.min(offset, all.size()); i < end; i++) {
            value.add(all.get(i));
        }
        return root;
    }

    /**
     * A skip token of the right shape that the service no longer honours, as when a listing's server-side
     * cursor has expired between two pages: following it answers 400 BadRequest.
     */
    static String expiredToken() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((EXPIRED_PREFIX + Ids.newGuid()).getBytes(StandardCharsets.UTF_8));
    }

    private static String token(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token) {
        if (token == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(EXPIRED_PREFIX)) {
                throw GraphErrorReply.badRequest("The $skiptoken '" + token + "' has expired. Start the listing again "
                        + "from its first page.");
            }
            if (decoded.startsWith(PREFIX)) {
                int offset = Integer.parseInt(decoded.substring(PREFIX.length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException malformed) {
            // falls through to the 400 below
        }
        throw GraphErrorReply.badRequest("The $skiptoken '" + token + "' is not valid. Follow @odata.nextLink as given.");
    }
}
