"""Worker.Train: a bigram language model of the corpus in the request, standard library only.

Reads a Corpus {"text": "...", "holdout_percent": 10} on stdin and writes a Model {"vocab": [...],
"rows": [{"word": i, "next": [j, ...], "count": [n, ...]}, ...], "epoch": 1, "score_ppm": ...,
"corpus_sha256": "..."} on stdout. Words are lowercase runs of letters and digits; the last
holdout_percent of them are kept out of training and the model's next-word accuracy on them is the
score. Everything is counted in integers and sorted, so every run on every machine writes the same
bytes: a re-run reproduces the model's hash.
"""
import hashlib
import json
import re
import sys

WORD = re.compile(r"[a-z0-9]+")
HOLDOUT_PERCENT = 10


def words_of(text):
    return WORD.findall(text.lower())


def split(corpus):
    words = words_of(corpus.get("text") or "")
    holdout = int(corpus.get("holdout_percent") or HOLDOUT_PERCENT)
    cut = len(words) * (100 - holdout) // 100
    return words[:cut], words[cut:]


def train(words):
    vocab = sorted(set(words))
    index = {word: i for i, word in enumerate(vocab)}
    counts = {}
    for a, b in zip(words, words[1:]):
        key = (index[a], index[b])
        counts[key] = counts.get(key, 0) + 1
    rows = {}
    for (a, b), n in sorted(counts.items()):
        rows.setdefault(a, []).append((b, n))
    return {
        "vocab": vocab,
        "rows": [{"word": a, "next": [b for b, _ in row], "count": [n for _, n in row]} for a, row in sorted(rows.items())],
    }


def predict(row):
    """The most frequent next word; ties go to the smaller index."""
    best = max(range(len(row["next"])), key=lambda i: (row["count"][i], -row["next"][i]))
    return row["next"][best]


def score_ppm(model, held_out):
    index = {word: i for i, word in enumerate(model["vocab"])}
    rows = {row["word"]: row for row in model["rows"]}
    pairs = list(zip(held_out, held_out[1:]))
    if not pairs:
        return 0
    correct = 0
    for a, b in pairs:
        row = rows.get(index.get(a, -1))
        if row is not None and model["vocab"][predict(row)] == b:
            correct += 1
    return correct * 1_000_000 // len(pairs)


def fit(corpus):
    training, held_out = split(corpus)
    model = train(training)
    model["epoch"] = 1
    model["score_ppm"] = score_ppm(model, held_out)
    model["corpus_sha256"] = hashlib.sha256((corpus.get("text") or "").encode("utf-8")).hexdigest()
    return model


if __name__ == "__main__":
    json.dump(fit(json.load(sys.stdin)), sys.stdout, sort_keys=True, separators=(",", ":"))
