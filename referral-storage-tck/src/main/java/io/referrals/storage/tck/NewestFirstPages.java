package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.ReferralRecords;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The checks every newest-first read of an advocate's rows shares ({@code ReferralRecords.ofAdvocate},
 * {@code RewardRecords.ofAdvocate}, {@code LedgerRecords.entries} with a {@link Before} cursor), run by a group of
 * each area's contract on rows it makes.
 *
 * <p>The rows: advocate {@code adv-1} has ten, three of them at one time and two at another, with ids that sort
 * differently by {@link String#compareTo} than case-insensitively ({@code r-B} before {@code r-a}) and differently
 * from the order written; {@code adv-10} and {@code adv-0} (neighbours of {@code adv-1} in an index) have rows at the
 * same times.
 *
 * @param <T> the row type
 */
final class NewestFirstPages<T> {
    static final AdvocateId ADVOCATE = AdvocateId.of("adv-1");
    private static final List<AdvocateId> NEIGHBOURS = List.of(AdvocateId.of("adv-10"), AdvocateId.of("adv-0"));

    /** A newest-first read under test. */
    @FunctionalInterface
    interface Read<T> {
        List<T> page(StoreTransaction t, AdvocateId advocate, Before before, int limit);
    }

    /** Makes a row of an advocate with an id and a time. */
    @FunctionalInterface
    interface Row<T> {
        T make(AdvocateId advocate, String id, Instant at);
    }

    private final ReferralStore store;
    private final Read<T> read;
    private final BiConsumer<StoreTransaction, T> write;
    private final Function<T, Instant> time;
    private final Function<T, String> id;
    private final Row<T> row;

    NewestFirstPages(ReferralStore store, Read<T> read, BiConsumer<StoreTransaction, T> write, Row<T> row,
            Function<T, Instant> time, Function<T, String> id) {
        this.store = store;
        this.read = read;
        this.write = write;
        this.row = row;
        this.time = time;
        this.id = id;
    }

    /** Writes the rows of every advocate and returns {@link #ADVOCATE}'s, newest first as the SPI orders them. */
    List<T> seed() {
        List<T> mine = new ArrayList<>();
        List<T> all = new ArrayList<>();
        String[][] rows = {{"r-a", "5"}, {"r-c", "1"}, {"r-B", "5"}, {"r-b", "5"}, {"r-e", "9"}, {"r-f", "3"},
            {"r-d", "7"}, {"r-g", "1"}, {"r-h", "12"}, {"r-i", "2"}};
        for (String[] r : rows) {
            T t = row.make(ADVOCATE, r[0], at(Long.parseLong(r[1])));
            mine.add(t);
            all.add(t);
        }
        for (AdvocateId other : NEIGHBOURS) {
            for (String[] r : rows) {
                all.add(row.make(other, other.value() + "-" + r[0], at(Long.parseLong(r[1]))));
            }
        }
        store.inTransaction(t -> {
            all.forEach(r -> write.accept(t, r));
            return null;
        });
        mine.sort(Comparator.comparing(time).thenComparing(id).reversed());
        assertThat(mine.stream().map(id).toList()).as("the kit's own expectation")
                .containsExactly("r-h", "r-e", "r-d", "r-b", "r-a", "r-B", "r-f", "r-i", "r-g", "r-c");
        return mine;
    }

    List<T> page(AdvocateId advocate, Before before, int limit) {
        return store.inTransaction(t -> read.page(t, advocate, before, limit));
    }

    private Before after(T last) {
        return new Before(time.apply(last), id.apply(last));
    }

    /** The first page holds the advocate's rows newest first, ties on time by id descending, no one else's. */
    void newestFirst() {
        List<T> expected = seed();
        assertThat(page(ADVOCATE, Before.first(), ReferralRecords.MAX_PAGE)).containsExactlyElementsOf(expected);
        assertThat(page(ADVOCATE, Before.first(), 4)).containsExactlyElementsOf(expected.subList(0, 4));
        assertThat(page(AdvocateId.of("adv-nobody"), Before.first(), 10)).isEmpty();
        for (AdvocateId other : NEIGHBOURS) {
            assertThat(page(other, Before.first(), ReferralRecords.MAX_PAGE)).hasSize(expected.size())
                    .allSatisfy(r -> assertThat(id.apply(r)).startsWith(other.value() + "-"));
        }
    }

    /** A page after a cursor holds only rows strictly older than it, at most the limit. */
    void cursorExcludes() {
        List<T> expected = seed();
        for (int i = 0; i < expected.size(); i++) {
            Before cursor = after(expected.get(i));
            assertThat(page(ADVOCATE, cursor, 3)).as("after %s", cursor)
                    .containsExactlyElementsOf(expected.subList(i + 1, Math.min(i + 4, expected.size())));
        }
        // cursors between rows: at a time with rows, an id between theirs; a time without rows; the empty id
        assertThat(ids(page(ADVOCATE, new Before(at(5), "r-aa"), 10)))
                .containsExactly("r-a", "r-B", "r-f", "r-i", "r-g", "r-c");
        assertThat(ids(page(ADVOCATE, new Before(at(5), "r-C"), 10)))
                .containsExactly("r-B", "r-f", "r-i", "r-g", "r-c");
        assertThat(ids(page(ADVOCATE, new Before(at(5), ""), 10))).containsExactly("r-f", "r-i", "r-g", "r-c");
        assertThat(ids(page(ADVOCATE, new Before(at(8), "a"), 2))).containsExactly("r-d", "r-b");
        assertThat(ids(page(ADVOCATE, new Before(at(5), "zzz"), 1))).containsExactly("r-b");
        assertThat(page(ADVOCATE, new Before(at(1), "r-c"), 10)).isEmpty();
        assertThat(page(ADVOCATE, new Before(at(-1), "zzz"), 10)).isEmpty();
    }

    /** Pages walked from the first to the end hold every row exactly once, whatever the page size. */
    void walk() {
        List<T> expected = seed();
        for (int limit : new int[] {1, 2, 3, 4, 10, 11}) {
            List<T> seen = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            Before cursor = Before.first();
            int pages = 0;
            while (true) {
                List<T> page = page(ADVOCATE, cursor, limit);
                assertThat(page.size()).as("page size with limit %d", limit).isLessThanOrEqualTo(limit);
                if (page.isEmpty()) {
                    break;
                }
                pages++;
                assertThat(pages).as("pages with limit %d", limit).isLessThanOrEqualTo(expected.size());
                page.forEach(r -> assertThat(ids.add(id.apply(r))).as("%s seen once", id.apply(r)).isTrue());
                seen.addAll(page);
                cursor = after(page.get(page.size() - 1));
            }
            assertThat(seen).as("limit %d", limit).containsExactlyElementsOf(expected);
        }
    }

    /** Rows written earlier in the same transaction are read, with what was committed before. */
    void sameTransaction() {
        List<T> expected = seed();
        T newest = row.make(ADVOCATE, "r-new", at(60));
        List<T> page = store.inTransaction(t -> {
            write.accept(t, newest);
            return read.page(t, ADVOCATE, Before.first(), 2);
        });
        assertThat(page).containsExactly(newest, expected.get(0));
    }

    /** A limit outside 1 to {@link ReferralRecords#MAX_PAGE} is a programmer error; both ends are accepted. */
    void limits() {
        seed();
        for (int bad : new int[] {0, -1, ReferralRecords.MAX_PAGE + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> page(ADVOCATE, Before.first(), bad)).as("limit %d", bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> page(ADVOCATE, new Before(at(5), "r-b"), bad)).as("limit %d", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(page(ADVOCATE, Before.first(), 1)).hasSize(1);
        assertThat(page(ADVOCATE, Before.first(), ReferralRecords.MAX_PAGE)).hasSize(10);
    }

    private List<String> ids(List<T> rows) {
        return rows.stream().map(id).toList();
    }
}
