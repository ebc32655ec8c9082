package io.assignmentworker.request;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TargetTypeTest {

    @ParameterizedTest
    @EnumSource(TargetType.class)
    void acceptsItsODataTypeWithOrWithoutTheHashAndTheNamespace(TargetType type) {
        String bare = type.odataType().substring("#microsoft.graph.".length());

        for (String spelling : new String[] {type.odataType(), "microsoft.graph." + bare, "#" + bare, bare}) {
            assertThat(TargetType.fromOdataType(spelling)).as(spelling).contains(type);
        }
    }

    @Test
    void refusesOtherNamesAndOtherCases() {
        assertThat(TargetType.fromOdataType("#microsoft.graph.GroupAssignmentTarget")).isEmpty();
        assertThat(TargetType.fromOdataType("#microsoft.graph.")).isEmpty();
        assertThat(TargetType.fromOdataType("##microsoft.graph.groupAssignmentTarget")).isEmpty();
        assertThat(TargetType.fromOdataType("")).isEmpty();
    }
}
