package io.referrals.examples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A host application on the referral starter. The starter gives it the engine on the application's DataSource, in
 * Spring transactions, with the outbox, the rules of {@code classpath:rules/*.yaml} and the "customers" program of
 * {@code application.yaml}; the application adds a capture endpoint, a CRM webhook, an advocate notifier, demo data,
 * and the advocate portal behind Spring Security ({@link SampleSecurity}).
 *
 * <p>Run: {@code ./mvnw -q -pl examples/spring-boot -am -DskipTests package exec:java}, open
 * {@code http://localhost:8080/referrals/} and sign in as {@code jane}, {@code omar} or {@code admin} (password
 * {@code referrals}); or
 * {@code curl -XPOST localhost:8080/referrals -H 'Content-Type: application/json'
 * -d '{"code":"JANE-ACME","name":"Peter","email":"peter@initech.example","company":"Initech"}'}.
 */
@SpringBootApplication
public class ReferralSampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReferralSampleApplication.class, args);
    }
}
