package io.referrals.core.model;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * What a reward gives: points, money, a discount, a perk, a gift card, a donation, or a host-defined thing. Each kind
 * is a record; the set is closed so stores can persist every kind.
 */
public sealed interface Incentive {

    /** Points credited to the advocate's ledger. */
    record Points(long points) implements Incentive {
        public Points {
            if (points <= 0) {
                throw new IllegalArgumentException("points must be positive: " + points);
            }
        }
    }

    /** Account credit or cash. */
    record Cash(Money amount, boolean accountCredit) implements Incentive {
        public Cash {
            Objects.requireNonNull(amount, "amount");
            if (amount.amount().signum() <= 0) {
                throw new IllegalArgumentException("amount must be positive");
            }
        }
    }

    /**
     * A discount code: a percentage ({@code percentOff}, with {@code amountOff} {@code null}) or a fixed amount.
     * {@code code} is empty until fulfilment draws one from the host's pool or generates it.
     */
    record Discount(BigDecimal percentOff, Money amountOff, String code) implements Incentive {
        public Discount {
            if ((percentOff == null) == (amountOff == null)) {
                throw new IllegalArgumentException("a discount is either a percentage or an amount");
            }
            if (percentOff != null && (percentOff.signum() <= 0 || percentOff.compareTo(BigDecimal.valueOf(100)) > 0)) {
                throw new IllegalArgumentException("percentOff must be in (0, 100]");
            }
            code = Checks.text(code);
        }
    }

    /** A free trial, an upgrade, or another perk such as product training or a speaking slot. */
    record Perk(String kind, String description) implements Incentive {
        public Perk {
            Checks.required(kind, "kind");
            description = Checks.text(description);
        }
    }

    /** A gift card. */
    record GiftCard(Money amount, String brand) implements Incentive {
        public GiftCard {
            Objects.requireNonNull(amount, "amount");
            brand = Checks.text(brand);
        }
    }

    /** A donation to a charity on the advocate's behalf. */
    record Donation(Money amount, String charity) implements Incentive {
        public Donation {
            Objects.requireNonNull(amount, "amount");
            Checks.required(charity, "charity");
        }
    }

    /** A host-defined incentive with its own type and payload. */
    record Custom(String type, Map<String, String> payload) implements Incentive {
        public Custom {
            Checks.required(type, "type");
            payload = Map.copyOf(payload);
        }
    }
}
