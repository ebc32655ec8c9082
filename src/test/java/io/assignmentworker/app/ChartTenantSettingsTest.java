package io.assignmentworker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.assignmentworker.graph.GraphProperties;
import io.assignmentworker.graph.Strategy;
import io.assignmentworker.scheduling.SchedulingProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.support.SpringApplicationJsonEnvironmentPostProcessor;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The Helm chart sets per-tenant settings (keyed by tenant GUID, which no environment variable name can hold) as
 * {@code SPRING_APPLICATION_JSON}; the worker binds them as if they were in application.yaml.
 */
class ChartTenantSettingsTest {

    /** What {@code helm template} renders for ci/full-config-values.yaml (.ci/validate-deploy keeps it so). */
    private static final Path RENDERED = Path.of("helm/intune-assignment-worker/ci/full-config-application.json");

    @Test
    void bindsPerTenantBudgetsAndStrategiesFromTheChartsJson() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("SPRING_APPLICATION_JSON", Files.readString(RENDERED).trim())));
        new SpringApplicationJsonEnvironmentPostProcessor().postProcessEnvironment(environment,
                new SpringApplication());
        Binder binder = Binder.get(environment);

        SchedulingProperties scheduling = binder.bindOrCreate("worker.scheduling", SchedulingProperties.class);
        GraphProperties graph = binder.bindOrCreate("worker.graph", GraphProperties.class);

        assertThat(scheduling.tenants()).containsOnlyKeys("22222222-3333-4444-8555-666666666666",
                "33333333-4444-4555-8666-777777777777");
        assertThat(scheduling.tenants().get("22222222-3333-4444-8555-666666666666"))
                .isEqualTo(new SchedulingProperties.TenantBudget(40, 400));
        assertThat(scheduling.tenants().get("33333333-4444-4555-8666-777777777777").writeBudget()).isEqualTo(20);
        assertThat(graph.tenantStrategies()).containsEntry("11111111-2222-4333-8444-555555555555", Strategy.CREATE);
    }
}
