package io.referrals.examples.boot;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Spring Boot sample on embedded H2")
class SampleH2Test extends SampleContract {

    @Override
    List<String> datasource() {
        return List.of("spring.datasource.url=jdbc:h2:mem:sample_" + UUID.randomUUID().toString().replace("-", "")
                + ";DB_CLOSE_DELAY=-1");
    }

    @Override
    void dropDatabase() {
    }
}
