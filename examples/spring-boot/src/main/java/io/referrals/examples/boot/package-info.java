/** A Spring Boot host application on the referral starter. */
package io.referrals.examples.boot;
