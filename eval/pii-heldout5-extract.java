/*
 * Extracts the fifth held-out PII corpus from the Java library Datafaker (Maven Central net.datafaker:datafaker
 * 2.7.0, Apache-2.0): given names, surnames, phone numbers and street lines with postcode and city of 14 locales, 7 of
 * them in their own non-Latin scripts (uk, bg Cyrillic; hy Armenian; th Thai; fa Persian; he Hebrew; ja kanji) and 7
 * Latin (tr, vi-VN, hu, cs-CZ, fi-FI, nb-NO, en-AU). eval/pii-heldout5.ts plants them into templates and
 * eval/pii-heldout5-score.ts scores them. Nothing here may be copied into a lexicon, a cue list or a unit-test fixture.
 *
 *     mkdir -p /tmp/c5x && cd /tmp/c5x && printf '%s' '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>x</artifactId><version>1</version><dependencies><dependency><groupId>net.datafaker</groupId><artifactId>datafaker</artifactId><version>2.7.0</version></dependency></dependencies></project>' > pom.xml
 *     mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt
 *     java -cp "$(cat cp.txt)" $REPO/eval/pii-heldout5-extract.java 2>/dev/null > $REPO/eval/data/pii-heldout5.json
 *
 * (Datafaker 2 needs Java 17.) Datafaker falls back to its English data for any key a locale lacks, so its output
 * mixes in English values (`Лилия Bogisich` for bg, `559 ทวี Land` for th). Two guards keep only the locale's own:
 * a name also produced by the English faker (a sample of 4,000 of each kind) is dropped for every locale but en-AU,
 * and a value with a Latin letter is dropped for a non-Latin locale. Bulgarian surnames come from the locale's
 * male_last_name and female_last_name lists, since its last_name key falls back; Vietnamese given names from its
 * last_name list and surnames from its first_name list, which holds the family names (Nguyễn, Trần). Street lines are taken only from
 * locales whose own address data make them (uk, bg, hy, he, hu, cs-CZ, nb-NO, en-AU; for th, fa, ja, tr, vi-VN and
 * fi-FI the street template falls back to English, `02242 กันตะ Ridges`, so they have none). In a street line a house
 * number's leading zeros are dropped and a number 0 becomes a seeded 1-199 (Datafaker fills `##` with any digits:
 * `Konvallsvingen 0`, `Hradební 06`). Per locale: 16 given names, 16 surnames, 10 phones (the locale's phone and cell
 * formats, alternately), 10 street lines with postcode and city where it has them, 8 birth dates (ours: a seeded day
 * in 1940-2006). Each locale's faker is seeded with a fixed number derived from its name.
 */
import net.datafaker.Faker;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Extract {
  static final int NAMES = 16, PHONES = 10, STREETS = 10, DATES = 8;
  static final String[] LOCS = {"uk", "bg", "hy", "th", "fa", "he", "ja", "tr", "vi-VN", "hu", "cs-CZ", "fi-FI", "nb-NO", "en-AU"};
  static final Set<String> NON_LATIN = Set.of("uk", "bg", "hy", "th", "fa", "he", "ja");
  static final Set<String> WITH_STREETS = Set.of("uk", "bg", "hy", "he", "hu", "cs-CZ", "nb-NO", "en-AU");

  static int seed(String loc) {
    // FNV-1a, 32 bits: stable, unlike String.hashCode's use elsewhere
    int h = 0x811c9dc5;
    for (byte b : loc.getBytes(java.nio.charset.StandardCharsets.UTF_8)) { h ^= (b & 0xff); h *= 0x01000193; }
    return h;
  }

  static String q(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static String arr(List<String> xs) {
    List<String> o = new ArrayList<>();
    for (String x : xs) o.add(q(x));
    return "[" + String.join(", ", o) + "]";
  }

  static List<String> uniq(Supplier<String> make, Predicate<String> ok, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n * 50 && out.size() < n; i++) {
      String v = make.get().trim().replaceAll("\\s+", " ");
      if (!v.isEmpty() && ok.test(v) && !out.contains(v)) out.add(v);
    }
    return out;
  }

  static final Pattern NUM = Pattern.compile("(?<![\\p{L}\\p{N}])0*(\\d+)");

  /** House numbers without Datafaker's leading zeros; a number 0 becomes a seeded 1-199. */
  static String houseNumbers(String line, Random own) {
    Matcher m = NUM.matcher(line);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String d = m.group(1).replaceFirst("^0+(?=\\d)", "");
      m.appendReplacement(b, d.equals("0") ? String.valueOf(1 + own.nextInt(199)) : d);
    }
    m.appendTail(b);
    return b.toString();
  }

  public static void main(String[] args) {
    Faker en = new Faker(Locale.ENGLISH, new Random(7));
    Set<String> enNames = new HashSet<>();
    for (int i = 0; i < 4000; i++) { enNames.add(en.name().firstName()); enNames.add(en.name().lastName()); }
    StringBuilder out = new StringBuilder("{\n  \"source\": \"Datafaker (Maven Central net.datafaker:datafaker, Java)\",\n  \"version\": \"2.7.0\",\n  \"licence\": \"Apache-2.0\",\n  \"locales\": {\n");
    for (int li = 0; li < LOCS.length; li++) {
      String loc = LOCS[li];
      Random own = new Random(seed(loc) ^ 0x5eed);
      Faker f = new Faker(Locale.forLanguageTag(loc), new Random(seed(loc)));
      boolean nonLatin = NON_LATIN.contains(loc);
      Predicate<String> native_ = (v) -> !nonLatin || !v.matches(".*[A-Za-z].*");
      Predicate<String> nameOk = (v) -> native_.test(v) && (loc.equals("en-AU") || !enNames.contains(v));
      // vi's first_name list holds family names (Nguyễn, Trần: the name written first) and last_name given names
      boolean vi = loc.equals("vi-VN");
      List<String> first = uniq(() -> vi ? f.name().lastName() : f.name().firstName(), nameOk, NAMES);
      Supplier<String> lastMake = loc.equals("bg")
        ? () -> f.resolve(own.nextBoolean() ? "name.male_last_name" : "name.female_last_name")
        : vi ? () -> f.name().firstName() : () -> f.name().lastName();
      List<String> last = uniq(lastMake, nameOk, NAMES);
      int[] k = {0};
      List<String> phones = uniq(() -> k[0]++ % 2 == 0 ? f.phoneNumber().phoneNumber() : f.phoneNumber().cellPhone(), native_, PHONES);
      List<String> streets = new ArrayList<>();
      if (WITH_STREETS.contains(loc)) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < STREETS * 50 && streets.size() < STREETS; i++) {
          String l = houseNumbers(f.address().streetAddress().trim().replaceAll("\\s+", " "), own);
          if (seen.contains(l) || !native_.test(l)) continue;
          seen.add(l);
          streets.add("{\"street\": " + q(l) + ", \"postcode\": " + q(f.address().zipCode().trim()) + ", \"city\": " + q(f.address().city().trim()) + "}");
        }
      }
      List<String> dates = uniq(() -> LocalDate.of(1940, 1, 1).plusDays(own.nextInt(24472)).toString(), (v) -> true, DATES);
      out.append("    ").append(q(loc)).append(": {\n")
        .append("      \"first\": ").append(arr(first)).append(",\n")
        .append("      \"last\": ").append(arr(last)).append(",\n")
        .append("      \"phones\": ").append(arr(phones)).append(",\n")
        .append("      \"streets\": [").append(streets.isEmpty() ? "" : "\n        " + String.join(",\n        ", streets) + "\n      ").append("],\n")
        .append("      \"dates\": ").append(arr(dates)).append("\n    }").append(li + 1 < LOCS.length ? ",\n" : "\n");
    }
    out.append("  }\n}\n");
    System.out.print(out);
  }
}
