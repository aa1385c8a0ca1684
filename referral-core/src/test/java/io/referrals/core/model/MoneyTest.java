package io.referrals.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Money")
class MoneyTest {

    @Test
    @DisplayName("amounts that differ only in scale are equal and hash alike")
    void equalAcrossScales() {
        Money a = Money.of("10", "EUR");
        Money b = Money.of("10.0", "EUR");
        Money c = Money.of("10.00", "EUR");

        assertThat(a).isEqualTo(b).isEqualTo(c);
        assertThat(a.hashCode()).isEqualTo(b.hashCode()).isEqualTo(c.hashCode());
        assertThat(Set.of(a, Money.of("7.5", "EUR"))).contains(c);
        assertThat(a.compareTo(c)).isZero();
    }

    @Test
    @DisplayName("keeps the scale it was given when printed")
    void keepsScale() {
        assertThat(Money.of("250.00", "EUR")).hasToString("250.00 EUR");
        assertThat(Money.of("250.00", "EUR").amount().scale()).isEqualTo(2);
    }

    @Test
    @DisplayName("the same amount in two currencies is not equal")
    void differentCurrenciesDiffer() {
        assertThat(Money.of("10", "EUR")).isNotEqualTo(Money.of("10", "USD"));
    }

    @Test
    @DisplayName("adding, subtracting and comparing across currencies is refused")
    void currencyMismatchRefused() {
        Money eur = Money.of("10", "EUR");
        Money usd = Money.of("10", "USD");

        assertThatThrownBy(() -> eur.plus(usd)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("currency mismatch");
        assertThatThrownBy(() -> eur.minus(usd)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> eur.compareTo(usd)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("arithmetic in one currency gives the expected amounts")
    void arithmetic() {
        Money a = Money.of("10.50", "EUR");

        assertThat(a.plus(Money.of("0.50", "EUR"))).isEqualTo(Money.of("11", "EUR"));
        assertThat(a.minus(Money.of("20", "EUR"))).isEqualTo(Money.of("-9.5", "EUR"));
        assertThat(a.minus(Money.of("20", "EUR")).isNegative()).isTrue();
        assertThat(a.times(new BigDecimal("0.1"))).isEqualTo(Money.of("1.05", "EUR"));
        assertThat(a.negate()).isEqualTo(Money.of("-10.5", "EUR"));
        assertThat(Money.zero(Currency.getInstance("EUR"))).isEqualTo(Money.of("0.00", "EUR"));
    }

    @Test
    @DisplayName("an unknown currency code or a missing part is refused")
    void invalidInput() {
        assertThatThrownBy(() -> Money.of("1", "XYZQ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Money(null, Currency.getInstance("EUR")))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Money(BigDecimal.ONE, null)).isInstanceOf(NullPointerException.class);
    }
}
