package io.referrals.rules.result;

import io.referrals.core.model.Reward;
import java.time.Instant;
import java.util.List;

/** What {@link io.referrals.rules.Rewards#endContest} did. */
public sealed interface ContestResult {

    /**
     * The contest ended now: {@code prizes} were awarded to the top of {@code leaderboard}.
     *
     * @param leaderboard the final standings
     * @param prizes the prize rewards, in rank order
     */
    record Ended(List<Standing> leaderboard, List<Reward> prizes) implements ContestResult {
        public Ended {
            leaderboard = List.copyOf(leaderboard);
            prizes = List.copyOf(prizes);
        }
    }

    /**
     * The contest had already been ended (by this or another engine); nothing was awarded again.
     *
     * @param prizes the prizes awarded then, in rank order
     */
    record AlreadyEnded(List<Reward> prizes) implements ContestResult {
        public AlreadyEnded {
            prizes = List.copyOf(prizes);
        }
    }

    /**
     * The contest is still running.
     *
     * @param endsAt when it ends
     */
    record NotOver(Instant endsAt) implements ContestResult {
    }
}
