package io.referrals.core.eligibility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The public suffix list")
class PublicSuffixListTest {
    private final PublicSuffixList bundled = PublicSuffixList.bundled();

    @Nested
    @DisplayName("bundled snapshot")
    class Bundled {

        @Test
        @DisplayName("is the full list, ICANN and PRIVATE sections, parsed once")
        void fullList() {
            assertThat(bundled.size()).isGreaterThan(9_000);
            assertThat(PublicSuffixList.bundled()).isSameAs(bundled);
            assertThat(bundled.publicSuffix("acme.com.vn")).isEqualTo("com.vn");
            assertThat(bundled.publicSuffix("alice.github.io")).as("private section").isEqualTo("github.io");
            assertThat(bundled.publicSuffix("acme.example")).as("no rule: the top-level label").isEqualTo("example");
        }

        @Test
        @DisplayName("ships with the list's MPL-2.0 licence header")
        void licenceHeader() throws IOException {
            try (InputStream in = PublicSuffixList.class.getResourceAsStream("public_suffix_list.dat")) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(text).startsWith("// This Source Code Form is subject to the terms of the Mozilla Public\n"
                        + "// License, v. 2.0.");
                assertThat(text).contains("// ===BEGIN ICANN DOMAINS===", "// ===BEGIN PRIVATE DOMAINS===");
            }
        }

        @Test
        @DisplayName("companies under com.vn, co.uk and other multi-label suffixes keep their own registrable domain")
        void multiLabelSuffixes() {
            assertThat(bundled.registrableDomain("hn.alpha.com.vn")).isEqualTo("alpha.com.vn");
            assertThat(bundled.registrableDomain("beta.com.vn")).isEqualTo("beta.com.vn");
            assertThat(bundled.registrableDomain("com.vn")).isEmpty();
            assertThat(bundled.registrableDomain("sales.acme.co.uk")).isEqualTo("acme.co.uk");
            assertThat(bundled.registrableDomain("co.uk")).isEmpty();
            assertThat(bundled.registrableDomain("Mail.EU.Acme.COM ")).isEqualTo("acme.com");
            assertThat(bundled.registrableDomain("shop.acme.com.au")).isEqualTo("acme.com.au");
            assertThat(bundled.registrableDomain("alice.github.io")).isEqualTo("alice.github.io");
        }

        @Test
        @DisplayName("a wildcard rule (*.ck) makes every label under it public; an exception (!www.ck) prevails")
        void wildcardAndException() {
            assertThat(bundled.registrableDomain("test.ck")).isEmpty();
            assertThat(bundled.registrableDomain("b.test.ck")).isEqualTo("b.test.ck");
            assertThat(bundled.registrableDomain("a.b.test.ck")).isEqualTo("b.test.ck");
            assertThat(bundled.registrableDomain("www.ck")).isEqualTo("www.ck");
            assertThat(bundled.registrableDomain("www.www.ck")).isEqualTo("www.ck");
            assertThat(bundled.publicSuffix("www.www.ck")).isEqualTo("ck");
            assertThat(bundled.registrableDomain("www.city.kobe.jp")).isEqualTo("city.kobe.jp");
            assertThat(bundled.registrableDomain("a.b.c.kobe.jp")).isEqualTo("b.c.kobe.jp");
        }

        @Test
        @DisplayName("internationalised names match in Unicode and punycode alike, answered in punycode")
        void internationalisedNames() {
            assertThat(bundled.registrableDomain("www.食狮.公司.cn")).isEqualTo("xn--85x722f.xn--55qx5d.cn");
            assertThat(bundled.registrableDomain("www.xn--85x722f.xn--55qx5d.cn")).isEqualTo("xn--85x722f.xn--55qx5d.cn");
            assertThat(bundled.registrableDomain("公司.cn")).isEmpty();
            assertThat(bundled.registrableDomain("xn--55qx5d.cn")).isEmpty();
            assertThat(bundled.registrableDomain("shishi.中国")).isEqualTo("shishi.xn--fiqs8s");
            assertThat(bundled.registrableDomain("Bücher.DE")).isEqualTo(bundled.registrableDomain("xn--bcher-kva.de"))
                    .isEqualTo("xn--bcher-kva.de");
        }

        @Test
        @DisplayName("what is not a domain name has no registrable domain, and nothing throws")
        void notDomains() {
            for (String s : List.of("", " ", ".", "..", ".com", "example.com.", "a..com", "localhost", "com",
                    "x".repeat(64) + ".com", "a.\u0000.com", "@@@", "食狮.." + "\uDC00.cn")) {
                assertThat(bundled.registrableDomain(s)).as("'%s'", s).isEmpty();
            }
            assertThatThrownBy(() -> bundled.registrableDomain(null)).isInstanceOf(NullPointerException.class);
        }

        @Test
        @DisplayName("passes the list's own test vectors (tests/test_psl.txt of the same snapshot)")
        void officialTestVectors() throws IOException {
            Pattern check = Pattern.compile("^checkPublicSuffix\\((null|'[^']*'), (null|'[^']*')\\);");
            List<String> failures = new ArrayList<>();
            int checked = 0;
            try (InputStream in = PublicSuffixListTest.class.getResourceAsStream("test_psl.txt")) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    Matcher m = check.matcher(line.strip());
                    if (!m.find() || m.group(1).equals("null")) {
                        continue;
                    }
                    String domain = unquote(m.group(1));
                    String expected = m.group(2).equals("null") ? "" : IDN.toASCII(unquote(m.group(2)))
                            .toLowerCase(java.util.Locale.ROOT);
                    String actual = bundled.registrableDomain(domain);
                    checked++;
                    if (!actual.equals(expected)) {
                        failures.add(domain + " -> '" + actual + "', expected '" + expected + "'");
                    }
                }
            }
            assertThat(checked).isGreaterThan(60);
            assertThat(failures).isEmpty();
        }

        private static String unquote(String quoted) {
            return quoted.substring(1, quoted.length() - 1);
        }
    }

    @Nested
    @DisplayName("a host's own list")
    class HostList {
        private static final String LIST = """
                // A host's list.
                // ===BEGIN ICANN DOMAINS===
                com
                example
                corp.example   trailing text is ignored
                *.zone.example
                !keep.zone.example
                公司.cn
                """;

        @Test
        @DisplayName("is read from a Reader, a Path or an InputStream, with wildcard, exception and Unicode rules")
        void readFromEverySource(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("psl.dat");
            Files.writeString(file, LIST, StandardCharsets.UTF_8);
            List<PublicSuffixList> lists = List.of(PublicSuffixList.parse(new StringReader(LIST)),
                    PublicSuffixList.read(file),
                    PublicSuffixList.read(new ByteArrayInputStream(LIST.getBytes(StandardCharsets.UTF_8))));
            for (PublicSuffixList l : lists) {
                assertThat(l.size()).isEqualTo(6);
                assertThat(l.registrableDomain("a.b.corp.example")).isEqualTo("b.corp.example");
                assertThat(l.registrableDomain("x.y.zone.example")).isEqualTo("x.y.zone.example");
                assertThat(l.registrableDomain("w.keep.zone.example")).isEqualTo("keep.zone.example");
                assertThat(l.registrableDomain("a.食狮.公司.cn")).isEqualTo("xn--85x722f.xn--55qx5d.cn");
                assertThat(l.registrableDomain("a.acme.co.uk")).as("not in this list").isEqualTo("co.uk");
            }
        }

        @Test
        @DisplayName("a bad rule is refused with its line; a text without rules and an unreadable file are refused")
        void badLists(@TempDir Path dir) {
            assertThatThrownBy(() -> PublicSuffixList.parse(new StringReader("com\n\nfoo..bar\n")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 3");
            assertThatThrownBy(() -> PublicSuffixList.parse(new StringReader("com\n*.*.bar\n")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
            assertThatThrownBy(() -> PublicSuffixList.parse(new StringReader("com\n!ck\n")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
            assertThatThrownBy(() -> PublicSuffixList.parse(new StringReader("// nothing\n\n")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no rule");
            assertThatThrownBy(() -> PublicSuffixList.read(dir.resolve("missing.dat")))
                    .isInstanceOf(UncheckedIOException.class);
        }
    }
}
