package io.referrals.rules.internal;

import io.referrals.core.model.Reason;
import io.referrals.core.model.Stage;
import io.referrals.rules.definition.Limit;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@link RuleSet} indexed by trigger, with its reasons prepared. Immutable after construction. */
final class CompiledRuleSet {
    final RuleSet ruleSet;
    final List<CompiledRule> all = new ArrayList<>();
    final List<CompiledRule> onSubmitted = new ArrayList<>();
    final Map<Stage, List<CompiledRule>> onStage = new HashMap<>();
    final Map<Stage, List<CompiledRule>> onNth = new HashMap<>();
    final Map<String, List<CompiledRule>> onEvent = new HashMap<>();
    final Map<String, CompiledRule> byId = new HashMap<>();
    /** Rule ids by limit key, for rolling windows and releases. */
    final Map<String, Set<String>> rulesByLimitKey = new HashMap<>();
    /** Stages whose entries are counted per advocate (tiers, Nth triggers). */
    final Set<Stage> countedStages = new HashSet<>();
    final boolean needsTier;
    final Reason submittedReason = Reason.of("trigger", "Your referral was submitted.");
    private final Map<Stage, Reason> stageReasons = new HashMap<>();
    private final Map<Stage, String> stageMilestones = new HashMap<>();
    /** How many distinct conditions the rules have: the size of a {@link Facts}' memo. */
    final int conditionSlots;

    CompiledRuleSet(RuleSet ruleSet) {
        this.ruleSet = ruleSet;
        Map<String, Rule> siblings = new HashMap<>();
        ruleSet.rules().forEach(r -> siblings.put(r.id(), r));
        boolean tier = false;
        CompiledCondition.Compiler conditions = new CompiledCondition.Compiler(ruleSet.tiers());
        for (Rule r : ruleSet.rules()) {
            CompiledRule c = new CompiledRule(r, ruleSet.version(), ruleSet.tiers(), siblings, conditions);
            all.add(c);
            byId.put(r.id(), c);
            tier |= c.needsTier;
            Trigger t = r.trigger();
            if (t instanceof Trigger.Submitted) {
                onSubmitted.add(c);
            } else if (t instanceof Trigger.StageReached s) {
                for (Stage stage : s.stages()) {
                    onStage.computeIfAbsent(stage, k -> new ArrayList<>()).add(c);
                    stageReasons.computeIfAbsent(stage, k -> Reason.of("trigger",
                            "Your referral reached the stage '" + k.name() + "'."));
                    stageMilestones.computeIfAbsent(stage, k -> "stage:" + k.name());
                }
            } else if (t instanceof Trigger.NthReferral n) {
                onNth.computeIfAbsent(n.stage(), k -> new ArrayList<>()).add(c);
                countedStages.add(n.stage());
            } else if (t instanceof Trigger.CustomEvent e) {
                onEvent.computeIfAbsent(e.type(), k -> new ArrayList<>()).add(c);
            }
            for (Limit l : r.limits()) {
                rulesByLimitKey.computeIfAbsent(l.key(), k -> new HashSet<>()).add(r.id());
            }
        }
        if (!ruleSet.tiers().levels().isEmpty()) {
            countedStages.add(ruleSet.tiers().stage());
        }
        this.needsTier = tier;
        this.conditionSlots = conditions.slots();
    }

    List<CompiledRule> stageRules(Stage stage) {
        return onStage.getOrDefault(stage, List.of());
    }

    /** The milestone of entering {@code stage}, for example {@code stage:won}. */
    String stageMilestone(Stage stage) {
        String m = stageMilestones.get(stage);
        return m != null ? m : "stage:" + stage.name();
    }

    Reason stageReason(Stage stage) {
        return stageReasons.get(stage);
    }
}
