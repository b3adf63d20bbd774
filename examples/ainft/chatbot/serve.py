"""The chatbot's service: an AIN off-chain function answering a question from the trained model.

The chain calls it when someone writes a question under the service token's state path; it reads
the written value (the question, a JSON string, or {"question": "..."}) on stdin and writes the
answer (a JSON string) on stdout, which the chain records beside the question. The model is bundled
into the program (`bundle.py` replaces MODEL below with the model the job produced), because
functions run without network: the program's code hash then names exactly the model it serves.

The answer starts at the least common word of the question the model knows and follows the most
frequent next word, never taking the same step twice, for at most 16 words.
"""
import json
import re
import sys

MODEL = None  # bundle.py writes the trained model here.
WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 16


def answer(question, model):
    vocab = model["vocab"]
    rows = {row["word"]: row for row in model["rows"]}
    index = {word: i for i, word in enumerate(vocab)}
    seen_as_next = {}
    for row in model["rows"]:
        for j, n in zip(row["next"], row["count"]):
            seen_as_next[j] = seen_as_next.get(j, 0) + n
    known = [index[w] for w in WORD.findall(question.lower()) if index.get(w) in rows]
    if not known:
        return "I only know what the AI Network white paper says."
    current = min(known, key=lambda i: (seen_as_next.get(i, 0), vocab[i]))
    words, steps = [vocab[current]], set()
    while len(words) < MAX_WORDS and current in rows:
        row = rows[current]
        options = [(n, -j) for j, n in zip(row["next"], row["count"]) if (current, j) not in steps]
        if not options:
            break
        _, neg = max(options)
        steps.add((current, -neg))
        current = -neg
        words.append(vocab[current])
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def question_of(value):
    if isinstance(value, dict):
        return str(value.get("question") or "")
    return str(value or "")


if __name__ == "__main__":
    json.dump(answer(question_of(json.load(sys.stdin)), MODEL), sys.stdout)
