"""Evaluator.Score: checks each worker's bigram model against the request's corpus and ranks them.

Reads {"request": <Corpus>, "workers": [{"node": "ain1...", "response": <Model>}, ...], "test_data":
null} on stdin and writes {"node": [best, ...]} on stdout. A model is left out when it was not
trained on this corpus (corpus_sha256) or when its score_ppm is not what its next-word accuracy on
the held-out words really is; the rest are ranked by that score, best first (ties: by address).
"""
import hashlib
import json
import re
import sys

WORD = re.compile(r"[a-z0-9]+")
HOLDOUT_PERCENT = 10


def held_out_of(corpus):
    words = WORD.findall((corpus.get("text") or "").lower())
    holdout = int(corpus.get("holdout_percent") or HOLDOUT_PERCENT)
    return words[len(words) * (100 - holdout) // 100:]


def predict(row):
    best = max(range(len(row["next"])), key=lambda i: (row["count"][i], -row["next"][i]))
    return row["next"][best]


def score_ppm(model, held_out):
    vocab = model.get("vocab") or []
    index = {word: i for i, word in enumerate(vocab)}
    rows = {row["word"]: row for row in model.get("rows") or []}
    pairs = list(zip(held_out, held_out[1:]))
    if not pairs:
        return 0
    correct = 0
    for a, b in pairs:
        row = rows.get(index.get(a, -1))
        if row is not None and row.get("next") and vocab[predict(row)] == b:
            correct += 1
    return correct * 1_000_000 // len(pairs)


def rank(envelope):
    corpus = envelope.get("request") or {}
    digest = hashlib.sha256((corpus.get("text") or "").encode("utf-8")).hexdigest()
    held_out = held_out_of(corpus)
    scored = []
    for worker in envelope.get("workers", []):
        model = worker.get("response") or {}
        try:
            score = score_ppm(model, held_out)
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        if model.get("corpus_sha256") == digest and int(model.get("score_ppm") or 0) == score:
            scored.append((-score, worker["node"]))
    scored.sort()
    return {"node": [node for _, node in scored]}


if __name__ == "__main__":
    json.dump(rank(json.load(sys.stdin)), sys.stdout)
