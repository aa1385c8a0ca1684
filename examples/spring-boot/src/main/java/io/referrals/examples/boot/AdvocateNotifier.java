package io.referrals.examples.boot;

import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.StageChanged;
import io.referrals.core.event.ReferralListener;
import io.referrals.rules.Rewards;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Keeps advocates in the loop: a message when their referral arrives and at each stage, with their points balance.
 * A listener bean: the starter delivers events to it from the outbox after the host's commit, and never for work that
 * rolled back. It depends on {@link Rewards}, which depends on the engine: the starter resolves listeners when
 * delivering, so this is no bean cycle. A real notifier would send mail; this one keeps the messages in memory.
 */
@Component
public class AdvocateNotifier implements ReferralListener {
    private static final Logger LOG = LoggerFactory.getLogger(AdvocateNotifier.class);

    private final Rewards rewards;
    private final List<String> sent = new CopyOnWriteArrayList<>();

    public AdvocateNotifier(Rewards rewards) {
        this.rewards = rewards;
    }

    @Override
    public void onReferralSubmitted(ReferralSubmitted e) {
        send(e.referral().referralId().value(), "Thanks " + e.referral().advocate().displayName()
                + ", we received your referral to " + e.referral().prospectCompany() + ".");
    }

    @Override
    public void onStageChanged(StageChanged e) {
        long points = rewards.balance(e.referral().advocate().id());
        send(e.referral().referralId().value(), "Your referral to " + e.referral().prospectCompany() + " is now "
                + e.transition().to().name() + ". Your points: " + points + ".");
    }

    private void send(String referralId, String message) {
        sent.add(referralId + ": " + message);
        LOG.info("notified the advocate of referral {}", referralId);
    }

    /** The messages sent so far, oldest first, each prefixed with its referral id. */
    public List<String> sent() {
        return List.copyOf(sent);
    }
}
