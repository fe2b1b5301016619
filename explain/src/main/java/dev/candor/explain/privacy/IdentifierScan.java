package dev.candor.explain.privacy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Flags columns of a table that look like direct identifiers, by the values' patterns, by the header, and by
 * uniqueness. Pure function, no randomness, no logging; findings say what was seen so a person can judge them.
 *
 * <p>Each non-missing value (missing = null or blank) is classified by the first pattern it matches, in the order
 * email, date, national id, payment card, IP address, phone (so {@code 123-45-6789} counts as a national id and not
 * as a phone number). A pattern kind is flagged when at least {@code matchThreshold} of the non-missing values
 * match it. A date column is {@link IdentifierKind#DATE_OF_BIRTH} when its header names a birth date, else
 * {@link IdentifierKind#DATE}. Headers are split into lower-case words at non-letters and camelCase.
 */
public final class IdentifierScan {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})([T ].*)?");
    private static final Pattern DMY_DATE = Pattern.compile("(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4})");
    private static final Pattern SSN = Pattern.compile("\\d{3}-\\d{2}-\\d{4}");
    private static final Pattern NINO = Pattern.compile("[A-Z]{2} ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]");
    private static final Pattern CARD = Pattern.compile("\\d(?:[ -]?\\d){12,18}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9()][0-9 ().-]{5,}[0-9]");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?\\d*\\.\\d+");
    private static final Set<String> NAME_WORDS = Set.of("name", "surname", "forename", "firstname", "lastname",
            "fullname", "givenname", "familyname");
    private static final Set<String> NOT_PERSON = Set.of("file", "product", "company", "model", "class", "column",
            "feature", "user", "host", "domain", "drug", "brand", "item", "street", "city", "country");
    private static final Set<String> BIRTH_WORDS = Set.of("dob", "birth", "birthdate", "birthday", "born");

    private IdentifierScan() {
    }

    /**
     * One flagged column.
     *
     * @param column     the header
     * @param kind       what it looks like
     * @param matchRate  the fraction of non-missing values matching the kind's pattern; NaN for header-only or
     *                   uniqueness-based findings
     * @param uniqueness distinct values / non-missing values
     * @param evidence   what was seen, in words
     */
    public record Finding(String column, IdentifierKind kind, double matchRate, double uniqueness, String evidence) {
        /** Whether the kind identifies a person directly. */
        public boolean direct() {
            return kind.direct();
        }
    }

    /**
     * The scan of a table.
     *
     * @param rows     the rows scanned
     * @param findings the flagged columns, in column order (a column may be flagged more than once)
     */
    public record Report(int rows, List<Finding> findings) {
        public Report {
            findings = List.copyOf(findings);
        }

        /** The columns with at least one direct-identifier finding, in column order, without repeats. */
        public List<String> directIdentifierColumns() {
            return findings.stream().filter(Finding::direct).map(Finding::column).distinct().toList();
        }
    }

    /**
     * Scans a table.
     *
     * @param header         the column names
     * @param rows           the rows, each with one value per column (null for missing)
     * @param matchThreshold the fraction of non-missing values that must match a pattern, in (0, 1]; 0.8 is usual
     * @param minRows        uniqueness and free text are judged only with at least this many non-missing values
     *                       (with 3 rows everything is unique); at least 1
     */
    public static Report scan(List<String> header, List<List<String>> rows, double matchThreshold, int minRows) {
        if (!(matchThreshold > 0 && matchThreshold <= 1)) {
            throw new IllegalArgumentException("matchThreshold must be in (0, 1], got " + matchThreshold);
        }
        if (minRows < 1) throw new IllegalArgumentException("minRows must be >= 1, got " + minRows);
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).size() != header.size()) {
                throw new IllegalArgumentException("row " + r + " has " + rows.get(r).size() + " values but the header"
                        + " has " + header.size() + " columns " + header);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (int c = 0; c < header.size(); c++) {
            findings.addAll(column(header.get(c), c, rows, matchThreshold, minRows));
        }
        return new Report(rows.size(), findings);
    }

    private static List<Finding> column(String name, int c, List<List<String>> rows, double threshold, int minRows) {
        Map<IdentifierKind, Integer> matches = new EnumMap<>(IdentifierKind.class);
        Set<String> distinct = new HashSet<>();
        int present = 0, decimals = 0;
        long words = 0, chars = 0;
        for (List<String> row : rows) {
            String v = row.get(c);
            if (v == null || v.isBlank()) continue;
            v = v.strip();
            present++;
            distinct.add(v);
            chars += v.length();
            words += v.split("\\s+").length;
            if (DECIMAL.matcher(v).matches()) decimals++;
            IdentifierKind k = classify(v);
            if (k != null) matches.merge(k, 1, Integer::sum);
        }
        List<Finding> out = new ArrayList<>();
        if (present == 0) return out;
        double uniqueness = (double) distinct.size() / present;
        List<String> headerWords = words(name);
        boolean birthHeader = headerWords.stream().anyMatch(BIRTH_WORDS::contains)
                || String.join("", headerWords).contains("dateofbirth");
        for (Map.Entry<IdentifierKind, Integer> e : matches.entrySet()) {
            double rate = (double) e.getValue() / present;
            if (rate < threshold) continue;
            IdentifierKind kind = e.getKey() == IdentifierKind.DATE && birthHeader ? IdentifierKind.DATE_OF_BIRTH
                    : e.getKey();
            out.add(new Finding(name, kind, rate, uniqueness, String.format(Locale.ROOT,
                    "%.0f %% of %d non-missing values look like %s%s", 100 * rate, present,
                    kind.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    kind == IdentifierKind.DATE_OF_BIRTH ? " and the header names a birth date" : "")));
        }
        boolean personHeader = headerWords.stream().anyMatch(NAME_WORDS::contains)
                && headerWords.stream().noneMatch(NOT_PERSON::contains);
        if (personHeader) {
            out.add(new Finding(name, IdentifierKind.PERSON_NAME, Double.NaN, uniqueness,
                    "the header '" + name + "' names a person's name"));
        }
        if (birthHeader && out.stream().noneMatch(f -> f.kind() == IdentifierKind.DATE_OF_BIRTH)) {
            out.add(new Finding(name, IdentifierKind.DATE_OF_BIRTH, Double.NaN, uniqueness,
                    "the header '" + name + "' names a birth date (the values are not recognised dates)"));
        }
        if (present >= minRows) {
            double meanWords = (double) words / present, meanChars = (double) chars / present;
            if (meanWords >= 5 && uniqueness >= 0.5) {
                out.add(new Finding(name, IdentifierKind.FREE_TEXT, Double.NaN, uniqueness, String.format(Locale.ROOT,
                        "free text: %.1f words and %.0f characters per value on average, %.0f %% distinct",
                        meanWords, meanChars, 100 * uniqueness)));
            } else if (uniqueness >= 0.95 && decimals < 0.5 * present && out.isEmpty()) {
                out.add(new Finding(name, IdentifierKind.UNIQUE_VALUES, Double.NaN, uniqueness, String.format(
                        Locale.ROOT, "%d distinct values in %d non-missing rows (%.0f %%): each value nearly singles"
                                + " out a row", distinct.size(), present, 100 * uniqueness)));
            }
        }
        return out;
    }

    /** The first kind a value matches, or null. */
    static IdentifierKind classify(String v) {
        if (EMAIL.matcher(v).matches()) return IdentifierKind.EMAIL;
        if (ISO_DATE.matcher(v).matches() || DMY_DATE.matcher(v).matches()) {
            // Date-shaped but impossible (month 13) is a bad date, not a phone number.
            return isDate(v) ? IdentifierKind.DATE : null;
        }
        if (SSN.matcher(v).matches() || NINO.matcher(v.toUpperCase(Locale.ROOT)).matches()) {
            return IdentifierKind.NATIONAL_ID;
        }
        if (CARD.matcher(v).matches() && luhn(v)) return IdentifierKind.PAYMENT_CARD;
        var ip = IPV4.matcher(v);
        if (ip.matches()) {
            boolean ok = true;
            for (int g = 1; g <= 4; g++) ok &= Integer.parseInt(ip.group(g)) <= 255;
            if (ok) return IdentifierKind.IP_ADDRESS;
        }
        if (PHONE.matcher(v).matches() && !DECIMAL.matcher(v).matches()) {
            long digits = v.chars().filter(Character::isDigit).count();
            boolean formatted = v.startsWith("+") || v.chars().anyMatch(ch -> ch == ' ' || ch == '-' || ch == '(');
            // A bare run of digits is a phone number only at the usual national length (10 or 11 digits);
            // otherwise it is more likely an amount or a code.
            if (digits >= 7 && digits <= 15 && (formatted || digits == 10 || digits == 11)) return IdentifierKind.PHONE;
        }
        return null;
    }

    private static boolean isDate(String v) {
        var iso = ISO_DATE.matcher(v);
        if (iso.matches()) return valid(Integer.parseInt(iso.group(2)), Integer.parseInt(iso.group(3)));
        var dmy = DMY_DATE.matcher(v);
        if (dmy.matches()) {
            int a = Integer.parseInt(dmy.group(1)), b = Integer.parseInt(dmy.group(2));
            return valid(b, a) || valid(a, b); // day/month/year or month/day/year
        }
        return false;
    }

    private static boolean valid(int month, int day) {
        return month >= 1 && month <= 12 && day >= 1 && day <= 31;
    }

    /** The Luhn checksum of the digits of v (separators ignored). */
    static boolean luhn(String v) {
        int sum = 0;
        boolean twice = false;
        for (int i = v.length() - 1; i >= 0; i--) {
            char ch = v.charAt(i);
            if (!Character.isDigit(ch)) continue;
            int d = ch - '0';
            if (twice) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** Header words: split at non-letters and at lower-to-upper case changes, lower-cased. */
    static List<String> words(String header) {
        String spaced = header.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String w : spaced.split("[^a-z]+")) if (!w.isEmpty()) out.add(w);
        // "first_name" and "firstName" become [first, name]; keep the joined pairs too so "first name" is seen
        // as "firstname" and "date of birth" as "dateofbirth".
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i + 1).equals("name")) out.add(out.get(i) + "name");
        }
        return out;
    }
}
