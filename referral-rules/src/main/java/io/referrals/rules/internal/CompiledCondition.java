package io.referrals.rules.internal;

import io.referrals.core.model.Money;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.rules.definition.Condition;
import io.referrals.rules.definition.Tiers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Condition} prepared for evaluation: reasons and their one-element traces built once, set lookups, and a
 * slot in {@link Facts} so that a condition shared by several rules of a rule set is decided once per event. Nothing
 * is allocated when a leaf is decided or traced, apart from normalising a prospect's text once per event.
 */
abstract class CompiledCondition {
    /** An immutable trace fragment: the reasons that decided a condition, in order. */
    static final class Fragment {
        static final Fragment EMPTY = new Fragment(List.of());

        final List<Reason> reasons;

        Fragment(List<Reason> reasons) {
            this.reasons = reasons;
        }
    }

    final int slot;
    final Fragment met;
    final Fragment notMet;

    CompiledCondition(Condition source, int slot) {
        this.slot = slot;
        this.met = new Fragment(List.of(Reason.of("condition_met", "Met: " + source.describe() + ".")));
        this.notMet = new Fragment(List.of(Reason.of("condition_not_met", "Not met: " + source.describe() + ".")));
    }

    /** Decides, without the memo. */
    abstract boolean compute(Facts f);

    /** The trace of a decided condition, without the memo. */
    Fragment computeTrace(Facts f, boolean result) {
        return result ? met : notMet;
    }

    /** Whether it holds for the event, decided once per event. */
    final boolean test(Facts f) {
        byte b = f.results[slot];
        if (b != 0) {
            return b == 1;
        }
        boolean r = compute(f);
        f.results[slot] = r ? (byte) 1 : (byte) 2;
        return r;
    }

    /** The reasons that decided it for the event, worked out once per event. */
    final Fragment trace(Facts f) {
        Fragment t = f.traces[slot];
        if (t == null) {
            t = computeTrace(f, test(f));
            f.traces[slot] = t;
        }
        return t;
    }

    /**
     * Compiles conditions of one rule set, giving equal conditions one node (and one slot), so that they are decided
     * once per event however many rules use them. Not thread-safe; used while a rule set is compiled.
     */
    static final class Compiler {
        private final Tiers tiers;
        private final Map<Condition, CompiledCondition> nodes = new HashMap<>();

        Compiler(Tiers tiers) {
            this.tiers = tiers;
        }

        /** How many slots the compiled conditions use. */
        int slots() {
            return nodes.size();
        }

        CompiledCondition compile(Condition c) {
            CompiledCondition node = nodes.get(c);
            if (node == null) {
                node = build(c);
                nodes.put(c, node);
            }
            return node;
        }

        private CompiledCondition build(Condition c) {
            if (c instanceof Condition.All a) {
                return new AllOf(c, parts(a.conditions()), nodes.size());
            }
            if (c instanceof Condition.Any a) {
                return new AnyOf(c, parts(a.conditions()), nodes.size());
            }
            if (c instanceof Condition.Not n) {
                CompiledCondition inner = compile(n.condition());
                return new CompiledCondition(c, nodes.size()) {
                    @Override
                    boolean compute(Facts f) {
                        return !inner.test(f);
                    }
                };
            }
            return leaf(c, nodes.size(), tiers);
        }

        private CompiledCondition[] parts(List<Condition> conditions) {
            List<CompiledCondition> parts = new ArrayList<>(conditions.size());
            conditions.forEach(p -> parts.add(compile(p)));
            return parts.toArray(new CompiledCondition[0]);
        }
    }

    /** Every part holds; the trace is the parts' traces up to the first that fails. */
    private static final class AllOf extends CompiledCondition {
        private final CompiledCondition[] parts;
        /** The last joined trace, reused while the parts' traces are the same objects. */
        private volatile Joined last;

        AllOf(Condition source, CompiledCondition[] parts, int slot) {
            super(source, slot);
            this.parts = parts;
        }

        private record Joined(Fragment[] parts, Fragment joined) {
        }

        @Override
        boolean compute(Facts f) {
            for (CompiledCondition p : parts) {
                if (!p.test(f)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        Fragment computeTrace(Facts f, boolean result) {
            Fragment[] traces = new Fragment[parts.length];
            int n = 0;
            int size = 0;
            for (CompiledCondition p : parts) {
                Fragment t = p.trace(f);
                traces[n++] = t;
                size += t.reasons.size();
                if (!p.test(f)) {
                    break;
                }
            }
            Joined j = last;
            if (j != null && same(j.parts, traces, n)) {
                return j.joined;
            }
            Reason[] all = new Reason[size];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (Reason r : traces[i].reasons) {
                    all[k++] = r;
                }
            }
            Fragment joined = new Fragment(List.of(all));
            last = new Joined(traces, joined);
            return joined;
        }

        private static boolean same(Fragment[] a, Fragment[] b, int n) {
            for (int i = 0; i < a.length; i++) {
                if (i < n ? a[i] != b[i] : a[i] != null) {
                    return false;
                }
            }
            return true;
        }
    }

    /** At least one part holds; the trace is that of the first part that holds, or this condition's failure. */
    private static final class AnyOf extends CompiledCondition {
        private final CompiledCondition[] parts;

        AnyOf(Condition source, CompiledCondition[] parts, int slot) {
            super(source, slot);
            this.parts = parts;
        }

        @Override
        boolean compute(Facts f) {
            for (CompiledCondition p : parts) {
                if (p.test(f)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        Fragment computeTrace(Facts f, boolean result) {
            if (result) {
                for (CompiledCondition p : parts) {
                    if (p.test(f)) {
                        return p.trace(f);
                    }
                }
            }
            return notMet;
        }
    }

    private interface Test {
        boolean test(Facts f);
    }

    private static CompiledCondition leaf(Condition c, int slot, Test test) {
        return new CompiledCondition(c, slot) {
            @Override
            boolean compute(Facts f) {
                return test.test(f);
            }
        };
    }

    private static CompiledCondition leaf(Condition c, int slot, Tiers tiers) {
        if (c instanceof Condition.Always) {
            return new CompiledCondition(c, slot) {
                @Override
                boolean compute(Facts f) {
                    return true;
                }

                @Override
                Fragment computeTrace(Facts f, boolean result) {
                    return Fragment.EMPTY;
                }
            };
        }
        if (c instanceof Condition.SeniorityAtLeast s) {
            return leaf(c, slot, f -> f.prospect != null && f.prospect.seniority().isAtLeast(s.level()));
        }
        if (c instanceof Condition.DepartmentIn d) {
            Set<String> values = d.departments();
            return leaf(c, slot, f -> f.prospect != null && !f.prospect.department().isEmpty()
                    && values.contains(normal(f.prospect.department())));
        }
        if (c instanceof Condition.ProspectAttributeIn p) {
            return leaf(c, slot, f -> {
                String v = f.prospect == null ? null : f.prospect.attributes().get(p.key());
                return v != null && p.values().contains(normal(v));
            });
        }
        if (c instanceof Condition.ProspectAttributeAtLeast p) {
            return leaf(c, slot, f -> {
                String v = f.prospect == null ? null : f.prospect.attributes().get(p.key());
                if (v == null) {
                    return false;
                }
                try {
                    return new BigDecimal(v.strip()).compareTo(p.min()) >= 0;
                } catch (NumberFormatException e) {
                    return false;
                }
            });
        }
        if (c instanceof Condition.DealValueAtLeast d) {
            Money min = d.min();
            return leaf(c, slot, f -> f.deal != null && f.deal.currency().equals(min.currency())
                    && f.deal.compareTo(min) >= 0);
        }
        if (c instanceof Condition.DealCurrency d) {
            return leaf(c, slot, f -> f.deal != null && f.deal.currency().equals(d.currency()));
        }
        if (c instanceof Condition.ChannelIn ch) {
            return leaf(c, slot, f -> {
                Referral r = f.referral;
                return r != null && ch.channels().contains(r.channel());
            });
        }
        if (c instanceof Condition.ProgramIn p) {
            return leaf(c, slot, f -> p.programs().contains(f.program.id()));
        }
        if (c instanceof Condition.AdvocateKindIn k) {
            return leaf(c, slot, f -> k.kinds().contains(f.advocate.kind()));
        }
        if (c instanceof Condition.AdvocateSegment s) {
            return leaf(c, slot, f -> f.advocate.segments().contains(s.segment()));
        }
        if (c instanceof Condition.AdvocateAccount a) {
            return leaf(c, slot, f -> f.advocate.accountId().equals(a.accountId()));
        }
        if (c instanceof Condition.TierAtLeast t) {
            int wanted = tiers.rank(t.tier());
            return leaf(c, slot, f -> !f.tier.isEmpty() && tiers.rank(f.tier) >= wanted);
        }
        if (c instanceof Condition.Within w) {
            return leaf(c, slot, f -> w.window().contains(f.at));
        }
        throw new IllegalArgumentException("unknown condition " + c.getClass().getName());
    }

    private static String normal(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }

    /** Whether any part of {@code c} needs the advocate's tier. */
    static boolean needsTier(Condition c) {
        if (c instanceof Condition.All a) {
            return a.conditions().stream().anyMatch(CompiledCondition::needsTier);
        }
        if (c instanceof Condition.Any a) {
            return a.conditions().stream().anyMatch(CompiledCondition::needsTier);
        }
        if (c instanceof Condition.Not n) {
            return needsTier(n.condition());
        }
        return c instanceof Condition.TierAtLeast;
    }
}
