package io.referrals.rules;

import io.referrals.core.model.Money;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A {@link Condition} prepared for evaluation: reasons built once, set lookups, no allocation when it holds. */
abstract class CompiledCondition {
    final Reason met;
    final Reason notMet;

    CompiledCondition(Condition source) {
        this.met = Reason.of("condition_met", "Met: " + source.describe() + ".");
        this.notMet = Reason.of("condition_not_met", "Not met: " + source.describe() + ".");
    }

    /** Evaluates; when {@code trace} is non-null, adds the reasons that decided it. */
    abstract boolean eval(RuleContext ctx, List<Reason> trace);

    static CompiledCondition compile(Condition c, Tiers tiers) {
        if (c instanceof Condition.Always) {
            return new Leaf(c) {
                @Override
                boolean test(RuleContext ctx) {
                    return true;
                }

                @Override
                boolean eval(RuleContext ctx, List<Reason> trace) {
                    return true;
                }
            };
        }
        if (c instanceof Condition.All a) {
            List<CompiledCondition> parts = new ArrayList<>();
            a.conditions().forEach(p -> parts.add(compile(p, tiers)));
            CompiledCondition[] array = parts.toArray(new CompiledCondition[0]);
            return new CompiledCondition(c) {
                @Override
                boolean eval(RuleContext ctx, List<Reason> trace) {
                    for (CompiledCondition p : array) {
                        if (!p.eval(ctx, trace)) {
                            return false;
                        }
                    }
                    return true;
                }
            };
        }
        if (c instanceof Condition.Any a) {
            List<CompiledCondition> parts = new ArrayList<>();
            a.conditions().forEach(p -> parts.add(compile(p, tiers)));
            CompiledCondition[] array = parts.toArray(new CompiledCondition[0]);
            return new CompiledCondition(c) {
                @Override
                boolean eval(RuleContext ctx, List<Reason> trace) {
                    for (CompiledCondition p : array) {
                        if (p.eval(ctx, null)) {
                            if (trace != null) {
                                p.eval(ctx, trace);
                            }
                            return true;
                        }
                    }
                    if (trace != null) {
                        trace.add(notMet);
                    }
                    return false;
                }
            };
        }
        if (c instanceof Condition.Not n) {
            CompiledCondition inner = compile(n.condition(), tiers);
            return new CompiledCondition(c) {
                @Override
                boolean eval(RuleContext ctx, List<Reason> trace) {
                    boolean result = !inner.eval(ctx, null);
                    if (trace != null) {
                        trace.add(result ? met : notMet);
                    }
                    return result;
                }
            };
        }
        if (c instanceof Condition.SeniorityAtLeast s) {
            return leaf(c, ctx -> {
                Referral r = ctx.referralOrNull();
                return r != null && r.prospect().seniority().isAtLeast(s.level());
            });
        }
        if (c instanceof Condition.DepartmentIn d) {
            Set<String> values = d.departments();
            return leaf(c, ctx -> {
                Referral r = ctx.referralOrNull();
                return r != null && !r.prospect().department().isEmpty()
                        && values.contains(r.prospect().department().strip().toLowerCase(Locale.ROOT));
            });
        }
        if (c instanceof Condition.ProspectAttributeIn p) {
            return leaf(c, ctx -> {
                Referral r = ctx.referralOrNull();
                String v = r == null ? null : r.prospect().attributes().get(p.key());
                return v != null && p.values().contains(v.strip().toLowerCase(Locale.ROOT));
            });
        }
        if (c instanceof Condition.ProspectAttributeAtLeast p) {
            return leaf(c, ctx -> {
                Referral r = ctx.referralOrNull();
                String v = r == null ? null : r.prospect().attributes().get(p.key());
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
            return leaf(c, ctx -> {
                Referral r = ctx.referralOrNull();
                if (r == null || r.dealValue().isEmpty()) {
                    return false;
                }
                Money v = r.dealValue().get();
                return v.currency().equals(d.min().currency()) && v.compareTo(d.min()) >= 0;
            });
        }
        if (c instanceof Condition.DealCurrency d) {
            return leaf(c, ctx -> {
                Referral r = ctx.referralOrNull();
                return r != null && r.dealValue().map(v -> v.currency().equals(d.currency())).orElse(false);
            });
        }
        if (c instanceof Condition.ChannelIn ch) {
            return leaf(c, ctx -> {
                Referral r = ctx.referralOrNull();
                return r != null && ch.channels().contains(r.channel());
            });
        }
        if (c instanceof Condition.ProgramIn p) {
            return leaf(c, ctx -> p.programs().contains(ctx.program().id()));
        }
        if (c instanceof Condition.AdvocateKindIn k) {
            return leaf(c, ctx -> k.kinds().contains(ctx.advocate().kind()));
        }
        if (c instanceof Condition.AdvocateSegment s) {
            return leaf(c, ctx -> ctx.advocate().segments().contains(s.segment()));
        }
        if (c instanceof Condition.AdvocateAccount a) {
            return leaf(c, ctx -> ctx.advocate().accountId().equals(a.accountId()));
        }
        if (c instanceof Condition.TierAtLeast t) {
            int wanted = tiers.rank(t.tier());
            return leaf(c, ctx -> !ctx.tier().isEmpty() && tiers.rank(ctx.tier()) >= wanted);
        }
        if (c instanceof Condition.Within w) {
            return leaf(c, ctx -> w.window().contains(ctx.at()));
        }
        throw new IllegalArgumentException("unknown condition " + c.getClass().getName());
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

    private interface Test {
        boolean test(RuleContext ctx);
    }

    private static CompiledCondition leaf(Condition c, Test test) {
        return new Leaf(c) {
            @Override
            boolean test(RuleContext ctx) {
                return test.test(ctx);
            }
        };
    }

    private abstract static class Leaf extends CompiledCondition {
        Leaf(Condition source) {
            super(source);
        }

        abstract boolean test(RuleContext ctx);

        @Override
        boolean eval(RuleContext ctx, List<Reason> trace) {
            boolean result = test(ctx);
            if (trace != null) {
                trace.add(result ? met : notMet);
            }
            return result;
        }
    }
}
