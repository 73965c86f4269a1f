"""Runs Microsoft Presidio over JSONL corpora for bench/pii-compare.ts (a measuring stick, nothing more).

Usage: python pii_compare.py MODE MODEL FILE...   MODE is `full` (default recognizers and spaCy NER) or `regex`
(the pattern recognizers only, no NLP engine). Prints one JSON line per document: {"file", "id", "out"}, where
`out` is the text with every span Presidio found replaced by <TYPE>, then one line {"seconds", "docs"} per file
with the time spent in analyze().
"""
import json
import sys
import time


def build(mode: str, model: str):
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    if mode == "full":
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        provider = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": model}],
        })
        return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(languages=["en"])
    registry.remove_recognizer("SpacyRecognizer")
    engine = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    engine.load()
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])


def redact(text: str, results) -> str:
    spans = sorted(((r.start, r.end, r.entity_type) for r in results), key=lambda s: (s[0], -s[1]))
    out, pos = [], 0
    for start, end, kind in spans:
        if end <= pos:
            continue
        start = max(start, pos)
        out.append(text[pos:start])
        out.append(f"<{kind}>")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def main() -> None:
    mode, model, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    analyzer = build(mode, model)
    analyzer.analyze(text="warm up John Smith john@example.com", language="en")
    for path in files:
        rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        spent = 0.0
        for row in rows:
            t0 = time.perf_counter()
            results = analyzer.analyze(text=row["text"], language="en")
            spent += time.perf_counter() - t0
            print(json.dumps({"file": path, "id": row["id"], "out": redact(row["text"], results)}, ensure_ascii=False))
        print(json.dumps({"file": path, "seconds": spent, "docs": len(rows)}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
