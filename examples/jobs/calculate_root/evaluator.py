"""Evaluator.EvaluateRoot of the paper's sample: ranks the workers by |x * x - y|, closest first.

Reads {"request": {"y": 4}, "workers": [{"node": "ain1...", "response": {"x": 2.01}}, ...],
"test_data": null} on stdin and writes {"node": [best, ...]} on stdout. A worker whose x is not a
finite number is dropped (left out of the ranking).
"""
import json
import math
import sys


def evaluate_root(envelope):
    y = float((envelope.get("request") or {}).get("y", 0))
    scored = []
    for worker in envelope.get("workers", []):
        try:
            x = float((worker.get("response") or {}).get("x", 0))
        except (TypeError, ValueError):
            continue
        if math.isfinite(x):
            scored.append((abs(x * x - y), worker["node"]))
    scored.sort()
    return {"node": [node for _, node in scored]}


if __name__ == "__main__":
    json.dump(evaluate_root(json.load(sys.stdin)), sys.stdout)
