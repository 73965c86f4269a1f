package llmaudit.local;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * The four analysis components x-pack security's .security index asks for (its "email" analyzer:
 * tokenizer uax_url_email, filters pattern_capture, lowercase, unique). They belong to Elasticsearch's
 * analysis-common module, which the integ-test-zip on Maven Central leaves out and which nobody
 * republishes for 8.x; without them the node cannot create .security, so no API keys and no native
 * users. Each is a thin factory over the Lucene class that analysis-common itself wraps, with the
 * same settings; deploy/local/stack.sh builds this against the node's own jars (secure mode only).
 */
public class LocalAnalysisPlugin extends Plugin implements AnalysisPlugin {
  @Override
  public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
    return Map.of(
        "pattern_capture", AnalysisPlugin.requiresAnalysisSettings((idx, env, name, s) -> patternCapture(name, s)),
        "lowercase", (idx, env, name, s) -> {
          if (s.get("language") != null) throw new IllegalArgumentException("[lowercase] language is not supported by the local stack's stand-in for analysis-common");
          return new AbstractTokenFilterFactory(name, s) {
            @Override public TokenStream create(TokenStream in) { return new LowerCaseFilter(in); }
            @Override public TokenStream normalize(TokenStream in) { return new LowerCaseFilter(in); }
          };
        },
        "unique", (idx, env, name, s) -> {
          boolean samePosition = s.getAsBoolean("only_on_same_position", false);
          return new AbstractTokenFilterFactory(name, s) {
            @Override public TokenStream create(TokenStream in) { return samePosition ? new RemoveDuplicatesTokenFilter(in) : new UniqueTokenFilter(in); }
          };
        });
  }

  @Override
  public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
    return Map.of("uax_url_email", (idx, env, name, s) -> {
      int max = s.getAsInt("max_token_length", 255);
      return new AbstractTokenizerFactory(idx, s, name) {
        @Override public Tokenizer create() {
          UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer();
          t.setMaxTokenLength(max);
          return t;
        }
      };
    });
  }

  private static TokenFilterFactory patternCapture(String name, Settings s) {
    List<String> regexes = s.getAsList("patterns");
    if (regexes.isEmpty()) throw new IllegalArgumentException("required setting 'patterns' is missing for token filter [" + name + "]");
    Pattern[] patterns = regexes.stream().map(Pattern::compile).toArray(Pattern[]::new);
    boolean preserveOriginal = s.getAsBoolean("preserve_original", true);
    return new AbstractTokenFilterFactory(name, s) {
      @Override public TokenStream create(TokenStream in) { return new PatternCaptureGroupTokenFilter(in, preserveOriginal, patterns); }
    };
  }

  /** Drops a token whose text came earlier in the stream (analysis-common's "unique" without only_on_same_position). */
  static final class UniqueTokenFilter extends TokenFilter {
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final CharArraySet seen = new CharArraySet(8, false);

    UniqueTokenFilter(TokenStream in) { super(in); }

    @Override
    public boolean incrementToken() throws IOException {
      while (input.incrementToken()) {
        if (seen.contains(term.buffer(), 0, term.length())) continue;
        char[] copy = new char[term.length()];
        System.arraycopy(term.buffer(), 0, copy, 0, term.length());
        seen.add(copy);
        return true;
      }
      return false;
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      seen.clear();
    }
  }
}
