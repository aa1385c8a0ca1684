/**
 * Spring Boot auto-configuration of the referral engine, shared by {@code referral-spring-boot-starter} (Spring Boot 4)
 * and {@code referral-spring-boot3-starter} (Spring Boot 3.5): {@link
 * io.referrals.spring.boot.autoconfigure.ReferralsAutoConfiguration} (store, engine, rules, programs, outbox
 * dispatcher and due-reward processing), {@link io.referrals.spring.boot.autoconfigure.ReferralsMetricsAutoConfiguration}
 * (Micrometer meters), the {@code referrals.*} properties ({@link
 * io.referrals.spring.boot.autoconfigure.ReferralsProperties}) and the bridge to Spring transactions, usable without
 * Boot ({@link io.referrals.spring.boot.autoconfigure.SpringTransactions}). The health indicator lives in each starter,
 * since Spring Boot 4 moved the health API.
 */
package io.referrals.spring.boot.autoconfigure;
