package io.assignmentworker.emulator;

import tools.jackson.databind.json.JsonMapper;

/** The emulator's one JSON mapper; JsonMapper is immutable and thread-safe, so sharing it is cheap and safe. */
final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }
}
