package io.assignmentworker.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Graph's answers are read as exactly one JSON value: their text goes into results as it is, so anything after
 * the value must fail the answer even where the application's mapper would let it pass.
 */
class GraphRepliesTest {

    private final JsonMapper lenient = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    @Test
    void anAnswerWithContentAfterItsValueIsUnreadableWhateverTheMapperAllows() {
        String trailing = "{\"id\":\"a\"} {\"id\":\"b\"}";
        assertThat(lenient.readTree(trailing).get("id").asString()).as("the mapper alone lets it pass")
                .isEqualTo("a");

        assertThatThrownBy(() -> GraphCalls.replyReader(lenient).readTree(trailing))
                .isInstanceOf(JacksonException.class);
        assertThat(GraphCalls.replyReader(lenient).readTree(" {\"id\":\"a\"}\n").get("id").asString())
                .isEqualTo("a");
    }
}
