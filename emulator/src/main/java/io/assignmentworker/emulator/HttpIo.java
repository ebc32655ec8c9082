package io.assignmentworker.emulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Reading requests and writing replies on a JDK {@link HttpExchange}. */
final class HttpIo {
    /** Graph refuses bodies this large long before; the cap keeps a misbehaving client from exhausting memory. */
    static final int MAX_BODY_BYTES = 1 << 20;
    static final String JSON = "application/json";
    static final String JSON_UTF8 = "application/json; charset=utf-8";

    private HttpIo() {
    }

    /** Reads the whole body, or throws {@link BodyTooLargeException} after draining what exceeds the cap. */
    static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            long total = 0;
            while ((read = in.read(buffer)) != -1) {
                total += read;
                if (total <= MAX_BODY_BYTES) {
                    out.write(buffer, 0, read);
                }
            }
            if (total > MAX_BODY_BYTES) {
                throw new BodyTooLargeException();
            }
            return out.toByteArray();
        }
    }

    static void sendJson(HttpExchange exchange, int status, String contentType, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Sends {@code status} with no body and no Content-Type ({@code Content-Length: 0}). */
    static void sendEmpty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    /** Decodes an {@code application/x-www-form-urlencoded} string; the first occurrence of a name wins. */
    static Map<String, String> parseForm(String encoded) {
        Map<String, String> values = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.putIfAbsent(name, value);
        }
        return values;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return value;
        }
    }

    /** The request body exceeded {@link #MAX_BODY_BYTES}. */
    static final class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
    }
}
