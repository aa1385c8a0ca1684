package io.referrals.core;

import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Money;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.view.PendingReason;
import io.referrals.core.view.ReferralState;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The labels of the advocate's view in one language, from the bundle {@code io.referrals.core.view.advocate_view}
 * (English, and German in {@code advocate_view_de}). Immutable and thread-safe.
 */
final class ViewLabels {
    static final String BUNDLE = "io.referrals.core.view.advocate_view";
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final ResourceBundle bundle;
    private final Locale locale;
    private final ZoneId zone;

    private ViewLabels(ResourceBundle bundle, Locale locale, ZoneId zone) {
        this.bundle = bundle;
        this.locale = locale;
        this.zone = zone;
    }

    /**
     * The labels for {@code requested}, or for {@code fallback} when no bundle is written in the requested language
     * (English is the base bundle).
     */
    static ViewLabels of(Locale requested, Locale fallback, ZoneId zone) {
        ResourceBundle b = load(requested);
        if (!speaks(b, requested)) {
            b = load(fallback);
            requested = speaks(b, fallback) ? fallback : Locale.ENGLISH;
        }
        return new ViewLabels(b, requested, zone);
    }

    private static ResourceBundle load(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale, ViewLabels.class.getClassLoader(), NO_FALLBACK);
    }

    /** True when {@code b} is written in {@code locale}'s language: the base bundle is English. */
    private static boolean speaks(ResourceBundle b, Locale locale) {
        String language = b.getLocale().getLanguage();
        return (language.isEmpty() ? "en" : language).equals(locale.getLanguage());
    }

    Locale locale() {
        return locale;
    }

    /** The label of a stage: the bundle's, or the stage name in words ("needs_analysis" reads "Needs analysis"). */
    String stage(Stage stage) {
        String label = find("stage." + stage.name());
        return label != null ? label : readable(stage.name());
    }

    String state(ReferralState state) {
        return text("state." + state.name());
    }

    String rewardStatus(RewardStatus status) {
        return text("reward." + status.name());
    }

    /** The sentence of a pending reason; {@code until}, if not null, fills in {@code {date}}. */
    String pending(PendingReason.Kind kind, Instant until) {
        String text = text("pending." + kind.name());
        if (until != null) {
            String date = DateTimeFormatter.ofLocalizedDate(FormatStyle.LONG).withLocale(locale).withZone(zone)
                    .format(until);
            text = fill(text, Map.of("date", date));
        }
        return text;
    }

    String ledger(LedgerEntry.Kind kind) {
        return text("ledger." + kind.name());
    }

    /** What an incentive gives, for example "€100 account credit", "500 points", "10% discount". */
    String incentive(Incentive incentive) {
        if (incentive instanceof Incentive.Points p) {
            return fill(text("incentive.points"), Map.of("points", NumberFormat.getIntegerInstance(locale)
                    .format(p.points())));
        }
        if (incentive instanceof Incentive.Cash c) {
            return fill(text(c.accountCredit() ? "incentive.credit" : "incentive.cash"), Map.of("amount",
                    money(c.amount())));
        }
        if (incentive instanceof Incentive.Discount d) {
            if (d.percentOff() != null) {
                return fill(text("incentive.discount.percent"), Map.of("percent", number(d.percentOff())));
            }
            return fill(text("incentive.discount.amount"), Map.of("amount", money(d.amountOff())));
        }
        if (incentive instanceof Incentive.GiftCard g) {
            return g.brand().isEmpty() ? fill(text("incentive.gift_card"), Map.of("amount", money(g.amount())))
                    : fill(text("incentive.gift_card.brand"), Map.of("amount", money(g.amount()), "brand",
                            g.brand()));
        }
        if (incentive instanceof Incentive.Donation d) {
            return fill(text("incentive.donation"), Map.of("amount", money(d.amount()), "charity", d.charity()));
        }
        if (incentive instanceof Incentive.Perk p) {
            return p.description().isEmpty() ? readable(p.kind()) : p.description();
        }
        return readable(((Incentive.Custom) incentive).type());
    }

    private String money(Money money) {
        NumberFormat f = NumberFormat.getCurrencyInstance(locale);
        f.setCurrency(money.currency());
        f.setMinimumFractionDigits(money.amount().stripTrailingZeros().scale() <= 0 ? 0
                : money.currency().getDefaultFractionDigits());
        return f.format(money.amount());
    }

    private String number(BigDecimal n) {
        NumberFormat f = NumberFormat.getNumberInstance(locale);
        f.setMaximumFractionDigits(4);
        return f.format(n);
    }

    private String text(String key) {
        String s = find(key);
        if (s == null) {
            throw new IllegalStateException("the bundle " + BUNDLE + " lacks " + key);
        }
        return s;
    }

    private String find(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            return null;
        }
    }

    /** {@code text} with each {@code {name}} replaced by its value. */
    static String fill(String text, Map<String, String> values) {
        String out = text;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    /** A name such as {@code needs_analysis} or {@code free-trial} in words: "Needs analysis", "Free trial". */
    static String readable(String name) {
        String words = name.replace('_', ' ').replace('-', ' ').trim();
        if (words.isEmpty()) {
            return name;
        }
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
