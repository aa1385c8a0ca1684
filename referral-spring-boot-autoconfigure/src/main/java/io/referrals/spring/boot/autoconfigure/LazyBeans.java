package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.eligibility.ProspectLookup;
import io.referrals.core.eligibility.Relationship;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.rules.spi.RewardApprover;
import io.referrals.rules.spi.RewardFulfiller;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Host beans the engine calls, resolved on each call rather than when the engine is built, so that they may depend on
 * the engine or its services without a bean cycle.
 */
final class LazyBeans {

    private LazyBeans() {
    }

    /** The {@link RewardApprover} bean, looked up on each call. */
    static RewardApprover approver(ObjectProvider<RewardApprover> bean) {
        return reward -> bean.getObject().review(reward);
    }

    /** The {@link RewardFulfiller} bean, looked up on each call. */
    static RewardFulfiller fulfiller(ObjectProvider<RewardFulfiller> bean) {
        return request -> bean.getObject().fulfil(request);
    }

    /** The {@link ProspectLookup} bean, looked up on each call. */
    static ProspectLookup prospectLookup(ObjectProvider<ProspectLookup> bean) {
        return new ProspectLookup() {
            @Override
            public Relationship relationshipOf(ProgramId program, Prospect prospect) {
                return bean.getObject().relationshipOf(program, prospect);
            }
        };
    }

    /** Publishes every engine event as a Spring application event (a payload event of the event record). */
    static ReferralListener springEvents(ApplicationEventPublisher publisher) {
        return new SpringEventPublishingListener(publisher);
    }


    /** Republishes engine events in the application context. */
    static final class SpringEventPublishingListener implements ReferralListener {
        private final ApplicationEventPublisher publisher;

        SpringEventPublishingListener(ApplicationEventPublisher publisher) {
            this.publisher = publisher;
        }

        @Override
        public void onEvent(ReferralEvent event) {
            publisher.publishEvent(event);
        }
    }
}
