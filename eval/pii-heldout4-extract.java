/*
 * Extracts the fourth held-out PII corpus, part 1 of 2: the Java library jfairy (Maven Central
 * com.devskiller:jfairy 0.6.5, Apache-2.0). Part 2 is eval/pii-heldout4-extract-names.py, which adds real names from
 * the PyPI names-dataset and writes the merged eval/data/pii-heldout4.json.
 *
 * jfairy keeps its own per-locale data (jfairy_{de,en,es,fr,it,ka,pl,sv,zh}.yml inside the jar): given names,
 * surnames, telephone formats, street names, postcode formats and cities, with an address module of its own for every
 * locale but Italian. None of it is Faker (Python, npm, Ruby or Java datafaker), mimesis, chance or the Rust crate
 * fake, the sources the detector or corpora 1-3 drew on. eval/pii-heldout4.ts plants these values into templates;
 * eval/pii-heldout4-score.ts scores them. Nothing here may be copied into a lexicon, a cue list or a unit-test fixture.
 *
 *     mkdir -p /tmp/c4x && cd /tmp/c4x && printf '%s' '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>x</artifactId><version>1</version><dependencies><dependency><groupId>com.devskiller</groupId><artifactId>jfairy</artifactId><version>0.6.5</version></dependency></dependencies></project>' > pom.xml
 *     mvn -q dependency:build-classpath -Dmdep.outputFile=cp.txt
 *     java -cp "$(cat cp.txt)" $REPO/eval/pii-heldout4-extract.java 2>/dev/null > /tmp/c4x/jfairy.json
 *     (then part 2, see eval/pii-heldout4-extract-names.py)
 *
 * Per locale: 16 given names, 16 surnames, 10 phones (jfairy's telephone and mobile formats, alternately), 10 street
 * lines with postcode and city, 8 birth dates. Street lines are written the way the locale's own jfairy address module
 * writes line 1 (`Marker Allee 86`, `Rue de la Mairie, 104`, `42 Washington Walk APT 86`, `ნინოშვილის ქუჩა №97, ბინა
 * 103`), with two changes: the bare apartment number that the fr, es and pl modules append after a space or comma
 * (`Rue du Stade, 171 155`, `Szulborska 79, 87`) is left out, since no one writes it so; and the zh module's city
 * prefix and `…房` suffix are left out of the line (the city is kept as the city), so the line is `环市东路125号`.
 * Italian has no address module (jfairy falls back to the English order, `42 P.zza Aspromonte APT 86`): its line is
 * written street first, `P.zza Aspromonte 42`, as Italy does. Birth dates are ours (jfairy's depend on today's date):
 * a seeded day in 1940-2006. Each locale's generator is seeded with a fixed number derived from its name.
 */
import com.devskiller.jfairy.Fairy;
import com.devskiller.jfairy.producer.person.Address;
import com.devskiller.jfairy.producer.person.Person;
import com.devskiller.jfairy.producer.person.PersonProperties;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;

public class Extract {
  static final int NAMES = 16, PHONES = 10, STREETS = 10, DATES = 8;

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

  static List<String> uniq(Supplier<String> make, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n * 20 && out.size() < n; i++) {
      String v = make.get().trim().replaceAll("\\s+", " ");
      if (!v.isEmpty() && !out.contains(v)) out.add(v);
    }
    return out;
  }

  static String line(String loc, Address a) {
    String st = a.getStreet().trim(), num = a.getStreetNumber().trim(), apt = a.getApartmentNumber().trim();
    switch (loc) {
      case "zh": return st + num + "号";
      case "it": return st + " " + num;
      case "ka": return st + " №" + num + (apt.isEmpty() ? "" : ", ბინა " + apt);
      case "en": return a.getAddressLine1().trim();
      case "fr": case "es": return st + ", " + num;
      default: return st + " " + num; // de, pl, sv
    }
  }

  public static void main(String[] args) {
    String[] locs = {"de", "en", "es", "fr", "it", "ka", "pl", "sv", "zh"};
    StringBuilder out = new StringBuilder("{\n  \"source\": \"jfairy (Maven Central com.devskiller:jfairy, Java)\",\n  \"version\": \"0.6.5\",\n  \"licence\": \"Apache-2.0\",\n  \"locales\": {\n");
    for (int li = 0; li < locs.length; li++) {
      String loc = locs[li];
      Random own = new Random(seed(loc) ^ 0x5eed);
      Fairy f = Fairy.builder().withLocale(Locale.forLanguageTag(loc)).withRandomSeed(seed(loc)).build();
      // a fixed birth date so that nothing jfairy makes depends on today's date
      Supplier<Person> person = () -> f.person(PersonProperties.withDateOfBirth(LocalDate.of(1980, 1, 1)));
      List<String> first = uniq(() -> person.get().getFirstName(), NAMES);
      List<String> last = uniq(() -> person.get().getLastName(), NAMES);
      int[] k = {0};
      List<String> phones = uniq(() -> { Person p = person.get(); return k[0]++ % 2 == 0 ? p.getTelephoneNumber() : p.getMobileTelephoneNumber(); }, PHONES);
      List<String> streets = new ArrayList<>();
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < STREETS * 20 && streets.size() < STREETS; i++) {
        Address a = person.get().getAddress();
        String l = line(loc, a).replaceAll("\\s+", " ");
        if (seen.contains(l)) continue;
        seen.add(l);
        streets.add("{\"street\": " + q(l) + ", \"postcode\": " + q(a.getPostalCode().trim()) + ", \"city\": " + q(a.getCity().trim()) + "}");
      }
      List<String> dates = uniq(() -> LocalDate.of(1940, 1, 1).plusDays(own.nextInt(24472)).toString(), DATES);
      out.append("    ").append(q(loc)).append(": {\n")
        .append("      \"first\": ").append(arr(first)).append(",\n")
        .append("      \"last\": ").append(arr(last)).append(",\n")
        .append("      \"phones\": ").append(arr(phones)).append(",\n")
        .append("      \"streets\": [\n        ").append(String.join(",\n        ", streets)).append("\n      ],\n")
        .append("      \"dates\": ").append(arr(dates)).append("\n    }").append(li + 1 < locs.length ? ",\n" : "\n");
    }
    out.append("  }\n}\n");
    System.out.print(out);
  }
}
