package io.referrals.core;

import io.referrals.core.event.AdvocateEnrolled;
import io.referrals.core.event.AdvocateOptedOut;
import io.referrals.core.event.AdvocateRegistered;
import io.referrals.core.event.CodeIssued;
import io.referrals.core.event.CodeRevoked;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.event.ReferralReopened;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.StageChanged;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every core event it receives, in arrival order. Thread-safe. */
class RecordingListener implements ReferralListener {
    private final List<ReferralEvent> events = new CopyOnWriteArrayList<>();

    /** Called for every event received; subclasses add behaviour (count down a latch, throw). */
    void received(ReferralEvent event) {
        events.add(event);
    }

    List<ReferralEvent> events() {
        return List.copyOf(events);
    }

    <E extends ReferralEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    void clear() {
        events.clear();
    }

    @Override
    public void onAdvocateEnrolled(AdvocateEnrolled event) {
        received(event);
    }

    @Override
    public void onAdvocateOptedOut(AdvocateOptedOut event) {
        received(event);
    }

    @Override
    public void onAdvocateRegistered(AdvocateRegistered event) {
        received(event);
    }

    @Override
    public void onCodeIssued(CodeIssued event) {
        received(event);
    }

    @Override
    public void onCodeRevoked(CodeRevoked event) {
        received(event);
    }

    @Override
    public void onReferralRefused(ReferralRefused event) {
        received(event);
    }

    @Override
    public void onReferralSubmitted(ReferralSubmitted event) {
        received(event);
    }

    @Override
    public void onStageChanged(StageChanged event) {
        received(event);
    }

    @Override
    public void onReferralReopened(ReferralReopened event) {
        received(event);
    }
}
