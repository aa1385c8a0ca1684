/**
 * What differs on Spring Boot 4: the health indicator of the outbox. Everything else comes from
 * {@code referral-spring-boot-autoconfigure} ({@link io.referrals.spring.boot.autoconfigure}).
 */
package io.referrals.spring.boot4;
