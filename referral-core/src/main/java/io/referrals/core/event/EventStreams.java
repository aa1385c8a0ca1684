package io.referrals.core.event;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;

/** Names of event streams. */
public final class EventStreams {
    private EventStreams() {
    }

    /** The stream of everything that happens to one referral, its rewards included. */
    public static String of(ReferralId id) {
        return "referral:" + id.value();
    }

    /** The stream of an advocate's own events: enrolment, codes, refusals, points. */
    public static String of(AdvocateId id) {
        return "advocate:" + id.value();
    }

    /** The stream of program-wide events, such as a contest ending. */
    public static String of(ProgramId id) {
        return "program:" + id.value();
    }
}
