package io.referrals.storage.jdbc.simulation;

import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulation's own record of what the host did and what the engine answered: the reference the store's state is
 * checked against. Lists keep creation order, so that the workload's choices depend only on the seed.
 */
final class Model {
    /** An advocate the simulation registered. */
    static final class Adv {
        final AdvocateId id;
        final int number;
        final boolean partner;
        final ProgramId program;
        final String account;
        String code = "";
        boolean optedOut;
        int webinars;

        Adv(AdvocateId id, int number, boolean partner, ProgramId program, String account) {
            this.id = id;
            this.number = number;
            this.partner = partner;
            this.program = program;
            this.account = account;
        }
    }

    /** A referral the engine recorded. */
    static final class Ref {
        final ReferralId id;
        final Adv adv;
        final int prospect;
        final Instant submittedAt;
        final boolean rejectedAtCapture;
        Stage stage;
        ReviewStatus review;
        long version;
        boolean backfilled;

        Ref(Referral r, Adv adv, int prospect, boolean rejectedAtCapture) {
            this.id = r.id();
            this.adv = adv;
            this.prospect = prospect;
            this.submittedAt = r.submittedAt();
            this.rejectedAtCapture = rejectedAtCapture;
            update(r);
        }

        void update(Referral r) {
            stage = r.stage();
            review = r.review();
            version = r.version();
        }

        boolean open() {
            return !rejectedAtCapture && !Stage.WON.equals(stage) && !Stage.LOST.equals(stage)
                    && !Stage.REJECTED.equals(stage);
        }

        @Override
        public String toString() {
            return "referral " + id.value() + " (" + stage.name() + ", " + review + ", v" + version + ")";
        }
    }

    /** A capture with an idempotency key and what its first call returned. */
    record Capture(CaptureRequest request, Adv adv, int prospect, String first) {
    }

    final List<Adv> advocates = new ArrayList<>();
    final List<Ref> referrals = new ArrayList<>();
    final Map<ReferralId, Ref> byId = new HashMap<>();
    final Map<Integer, List<Ref>> byProspect = new HashMap<>();
    final Map<AdvocateId, Integer> referralsOf = new HashMap<>();
    final Map<String, Capture> captures = new LinkedHashMap<>();
    final Map<String, String> redemptions = new LinkedHashMap<>();
    int prospects;
    int redeemed;

    Ref add(Referral r, Adv adv, int prospect, boolean rejected) {
        Ref existing = byId.get(r.id());
        if (existing != null) {
            existing.update(r);
            return existing;
        }
        Ref ref = new Ref(r, adv, prospect, rejected);
        referrals.add(ref);
        byId.put(ref.id, ref);
        byProspect.computeIfAbsent(prospect, k -> new ArrayList<>()).add(ref);
        referralsOf.merge(adv.id, 1, Integer::sum);
        return ref;
    }

    /** What a capture returned, in the terms a replay must repeat: the kind, the referral and the reasons. */
    static String summary(CaptureResult r) {
        if (r instanceof CaptureResult.Accepted a) {
            return "accepted " + a.referral().id().value();
        }
        if (r instanceof CaptureResult.Rejected x) {
            return "rejected " + x.referral().id().value() + " " + x.reasons().stream().map(Reason::code).sorted()
                    .toList();
        }
        return "refused " + ((CaptureResult.Refused) r).reason().code();
    }
}
