"""Evaluator.Score: ranks the workers' models by mean squared error on the revealed test set, lowest first.

Reads {"request": <Dataset>, "workers": [{"node": "ain1...", "response": <Model>}, ...],
"test_data": {"points": [{"x": [..], "y": ..}, ...]}} on stdin and writes {"node": [best, ...]} on
stdout. A model with the wrong number of weights or a loss that is not a finite number is left out.
"""
import json
import math
import sys


def test_loss(model, points):
    w = [float(v) for v in model.get("w") or []]
    b = float(model.get("b") or 0)
    if any(len(w) != len(p["x"]) for p in points):
        return None
    loss = sum((sum(wi * xi for wi, xi in zip(w, p["x"])) + b - p["y"]) ** 2 for p in points) / len(points)
    return loss if math.isfinite(loss) else None


def score(envelope):
    points = (envelope.get("test_data") or {}).get("points") or []
    if not points:
        return {"node": []}
    scored = []
    for worker in envelope.get("workers", []):
        try:
            loss = test_loss(worker.get("response") or {}, points)
        except (TypeError, ValueError, OverflowError):
            loss = None
        if loss is not None:
            scored.append((loss, worker["node"]))
    scored.sort()
    return {"node": [node for _, node in scored]}


if __name__ == "__main__":
    json.dump(score(json.load(sys.stdin)), sys.stdout)
