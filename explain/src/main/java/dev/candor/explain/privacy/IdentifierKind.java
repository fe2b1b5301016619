package dev.candor.explain.privacy;

/** What a column flagged by {@link IdentifierScan} looks like. */
public enum IdentifierKind {
    /** Values look like e-mail addresses. Direct identifier. */
    EMAIL(true),
    /** Values look like telephone numbers (7 to 15 digits with the usual separators). Direct identifier. */
    PHONE(true),
    /** Values look like national identity numbers (US SSN {@code 123-45-6789}, UK NINO {@code AB123456C}). */
    NATIONAL_ID(true),
    /** Values are 13–19 digit numbers that pass the Luhn check, like payment card numbers. Direct identifier. */
    PAYMENT_CARD(true),
    /** Values look like IPv4 addresses. Direct identifier in most privacy laws (GDPR recital 30). */
    IP_ADDRESS(true),
    /** The header names a birth date and the values are dates. Direct identifier in HIPAA's Safe Harbor list. */
    DATE_OF_BIRTH(true),
    /** The header names a person's name (name, surname, first/last/full name, forename). Direct identifier. */
    PERSON_NAME(true),
    /** Long, mostly distinct, multi-word values: free text, which often holds names and other identifiers. */
    FREE_TEXT(true),
    /**
     * Nearly every row has its own value (and the values are not fractional numbers): a record key or other
     * identifier, or a quasi-identifier that singles rows out. Not a direct identifier by itself.
     */
    UNIQUE_VALUES(false),
    /** Values are dates, but the header does not name a birth date: a quasi-identifier. */
    DATE(false);

    private final boolean direct;

    IdentifierKind(boolean direct) {
        this.direct = direct;
    }

    /** Whether this kind identifies a person directly (as opposed to a quasi-identifier). */
    public boolean direct() {
        return direct;
    }
}
