package dev.eventsource.processor.model;

/**
 * Reference types read from one JSON scalar (a string or a number); the writer decides how each is
 * read and written.
 */
public enum ScalarKind {
    STRING("java.lang.String"),
    BIG_DECIMAL("java.math.BigDecimal"),
    BIG_INTEGER("java.math.BigInteger"),
    UUID("java.util.UUID"),
    INSTANT("java.time.Instant"),
    LOCAL_DATE("java.time.LocalDate"),
    LOCAL_DATE_TIME("java.time.LocalDateTime"),
    OFFSET_DATE_TIME("java.time.OffsetDateTime"),
    DURATION("java.time.Duration"),
    BYTES("byte[]"),
    LOCAL_TIME("java.time.LocalTime"),
    ZONED_DATE_TIME("java.time.ZonedDateTime"),
    OFFSET_TIME("java.time.OffsetTime"),
    YEAR("java.time.Year"),
    YEAR_MONTH("java.time.YearMonth"),
    MONTH_DAY("java.time.MonthDay"),
    PERIOD("java.time.Period"),
    ZONE_ID("java.time.ZoneId"),
    CURRENCY("java.util.Currency"),
    URI("java.net.URI");

    private final String qualifiedName;

    ScalarKind(String qualifiedName) {
        this.qualifiedName = qualifiedName;
    }

    /** The Java type's qualified name; {@code byte[]} for {@link #BYTES}. */
    public String qualifiedName() {
        return qualifiedName;
    }

    /** The kind for a qualified type name ({@code byte[]} as {@code "byte[]"}), or {@code null}. */
    public static ScalarKind of(String qualifiedName) {
        for (ScalarKind k : values()) {
            if (k.qualifiedName.equals(qualifiedName)) {
                return k;
            }
        }
        return null;
    }
}
