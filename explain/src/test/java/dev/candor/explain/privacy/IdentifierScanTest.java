package dev.candor.explain.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IdentifierScanTest {

    private static final List<String> HEADER = List.of("patient_id", "fullName", "email", "phone", "ssn",
            "date_of_birth", "visit_date", "card", "ip", "notes", "sex", "glucose", "zip");

    private static List<List<String>> table() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(Arrays.asList(
                    "P" + (1000 + i),
                    "Person " + i,
                    "person" + i + "@example.org",
                    "+44 20 7946 " + String.format("%04d", i),
                    String.format("%03d-%02d-%04d", 100 + i, 10 + i, 1000 + i),
                    String.format("19%02d-%02d-%02d", 40 + i, 1 + i % 12, 1 + i),
                    String.format("2024-03-%02d", 1 + i % 5),
                    i == 3 ? null : "4111 1111 1111 1111",
                    "10.0.0." + i,
                    "Patient reported mild headache after the " + i + "th dose, no other symptoms",
                    i % 2 == 0 ? "F" : "M",
                    Double.toString(4.1 + i * 0.137),
                    Integer.toString(90210 + i % 3)));
        }
        return rows;
    }

    @Test
    void flagsEachKindOfDirectIdentifierByPatternHeaderOrText() {
        IdentifierScan.Report r = IdentifierScan.scan(HEADER, table(), 0.8, 10);
        Map<String, List<IdentifierKind>> byColumn = r.findings().stream().collect(Collectors.groupingBy(
                IdentifierScan.Finding::column, Collectors.mapping(IdentifierScan.Finding::kind, Collectors.toList())));
        assertThat(byColumn.get("patient_id")).containsExactly(IdentifierKind.UNIQUE_VALUES);
        assertThat(byColumn.get("fullName")).containsExactly(IdentifierKind.PERSON_NAME);
        assertThat(byColumn.get("email")).containsExactly(IdentifierKind.EMAIL);
        assertThat(byColumn.get("phone")).containsExactly(IdentifierKind.PHONE);
        assertThat(byColumn.get("ssn")).containsExactly(IdentifierKind.NATIONAL_ID);
        assertThat(byColumn.get("date_of_birth")).containsExactly(IdentifierKind.DATE_OF_BIRTH);
        assertThat(byColumn.get("visit_date")).containsExactly(IdentifierKind.DATE);
        assertThat(byColumn.get("card")).containsExactly(IdentifierKind.PAYMENT_CARD);
        assertThat(byColumn.get("ip")).containsExactly(IdentifierKind.IP_ADDRESS);
        assertThat(byColumn.get("notes")).containsExactly(IdentifierKind.FREE_TEXT);
        // low-cardinality categories, fractional measurements and a 3-valued zip code are not flagged
        assertThat(byColumn).doesNotContainKeys("sex", "glucose", "zip");
        assertThat(r.directIdentifierColumns()).containsExactly("fullName", "email", "phone", "ssn",
                "date_of_birth", "card", "ip", "notes");
        IdentifierScan.Finding card = r.findings().stream().filter(f -> f.column().equals("card")).findFirst()
                .orElseThrow();
        // 19 of 19 non-missing values (the missing one is not counted)
        assertThat(card.matchRate()).isEqualTo(1.0);
        assertThat(card.evidence()).contains("of 19 non-missing values");
    }

    @Test
    void aColumnBelowTheMatchThresholdIsNotFlagged() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) rows.add(List.of(i < 7 ? "a" + i + "@x.org" : "n/a"));
        assertThat(IdentifierScan.scan(List.of("contact"), rows, 0.8, 100).findings()).isEmpty();
        assertThat(IdentifierScan.scan(List.of("contact"), rows, 0.7, 100).findings())
                .singleElement().extracting(IdentifierScan.Finding::kind).isEqualTo(IdentifierKind.EMAIL);
    }

    @Test
    void valuePatternsAndHeaderWordsWorkedCaseByCase() {
        assertThat(IdentifierScan.classify("123-45-6789")).isEqualTo(IdentifierKind.NATIONAL_ID);
        assertThat(IdentifierScan.classify("AB 12 34 56 C")).isEqualTo(IdentifierKind.NATIONAL_ID);
        assertThat(IdentifierScan.classify("4111-1111-1111-1112")).isNull(); // fails the Luhn check
        assertThat(IdentifierScan.classify("31/12/1980")).isEqualTo(IdentifierKind.DATE);
        assertThat(IdentifierScan.classify("2020-13-01")).isNull(); // month 13
        assertThat(IdentifierScan.classify("300.1.1.1")).isNull();
        assertThat(IdentifierScan.classify("(555) 123-4567")).isEqualTo(IdentifierKind.PHONE);
        assertThat(IdentifierScan.classify("1234567")).isNull(); // a bare 7-digit number is not taken for a phone
        assertThat(IdentifierScan.classify("12345.678")).isNull();
        assertThat(IdentifierScan.words("firstName")).contains("first", "name", "firstname");
        assertThat(IdentifierScan.scan(List.of("product_name"), List.of(List.of("widget")), 0.8, 10).findings())
                .isEmpty();
        assertThatThrownBy(() -> IdentifierScan.scan(List.of("a", "b"), List.of(List.of("x")), 0.8, 1))
                .hasMessageContaining("row 0 has 1 values but the header has 2 columns");
    }

    @Test
    void kAnonymityIsTheSmallestEquivalenceClassWorkedByHand() {
        List<String> header = List.of("zip", "age", "sex", "diagnosis");
        List<List<String>> rows = List.of(
                List.of("1300", "20-29", "F", "flu"),
                List.of("1300", "20-29", "F", "cold"),
                List.of("1300", "20-29", "F", "flu"),
                List.of("1300", "30-39", "M", "flu"),
                List.of("1300", "30-39", "M", "asthma"),
                Arrays.asList("1400", "30-39", null, "flu"),
                Arrays.asList("1400", "30-39", " ", "cold"));
        // classes over (zip, age, sex): {0,1,2} size 3, {3,4} size 2, {5,6} size 2 (null and blank both "missing")
        KAnonymity.Result r = KAnonymity.of(header, rows, List.of("zip", "age", "sex"));
        assertThat(r.k()).isEqualTo(2);
        assertThat(r.classes()).isEqualTo(3);
        assertThat(r.uniqueRows()).isZero();
        assertThat(r.classSizes()).containsExactlyInAnyOrderEntriesOf(Map.of(3, 1, 2, 2));
        assertThat(r.rowsBelow(3)).isEqualTo(4);
        // adding the diagnosis singles rows out: {0,2} (flu) size 2, everything else alone
        KAnonymity.Result withDiagnosis = KAnonymity.of(header, rows, List.of("zip", "age", "sex", "diagnosis"));
        assertThat(withDiagnosis.k()).isEqualTo(1);
        assertThat(withDiagnosis.uniqueRows()).isEqualTo(5);
        assertThatThrownBy(() -> KAnonymity.of(header, rows, List.of("postcode")))
                .hasMessageContaining("'postcode' is not a column");
    }
}
