"""Evaluator.Check of the distributed-inference example: computes the shard's predictions itself and
ranks the workers whose answer matches input by input, closest first. An answer with a score missing,
out of order or off by more than TOLERANCE, or a label that disagrees with its score, is left out.

Reads {"request": <Batch>, "workers": [{"node": "ain1...", "response": <Predictions>}, ...],
"test_data": null} on stdin and writes a Check {"node": [best, ...], "error": [..], "device"} on
stdout. TOLERANCE lets float32 on a GPU and float64 on a CPU agree.

Runs on PyTorch on the GPU when `import torch` works and torch.cuda.is_available() (float32), else on
numpy on the CPU (float64); `--backend numpy|torch` forces one.
"""
import json
import math
import os
import sys

TOLERANCE = 1e-4

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def backend(choice=None):
    """PyTorch when it imports and sees a GPU (or `choice` is "torch"), else numpy."""
    if choice != "numpy":
        try:
            import torch
        except ImportError:
            torch = None
        if torch is not None and (choice == "torch" or torch.cuda.is_available()):
            return Torch(torch)
        if choice == "torch":
            raise SystemExit("--backend torch: PyTorch is not installed")
    import numpy

    return Numpy(numpy)


class Numpy:
    device = "cpu"

    def __init__(self, numpy):
        self.lib = numpy

    def array(self, values):
        return self.lib.asarray(values, dtype=self.lib.float64)

    def tolist(self, a):
        return a.tolist()


class Torch:
    def __init__(self, torch):
        self.lib = torch
        self.device = "cuda" if torch.cuda.is_available() else "cpu"

    def array(self, values):
        return self.lib.tensor(values, dtype=self.lib.float32, device=self.device)

    def tolist(self, a):
        return a.detach().cpu().tolist()


def scores(B, model, inputs):
    """P(class 1) for each input, in order: the worker's computation, repeated."""
    hidden = int(model.get("hidden") or 0)
    width = len(inputs[0]["x"])
    x = B.array([i["x"] for i in inputs])
    h = B.lib.tanh(x @ B.array(model["w1"]).reshape(width, hidden) + B.array(model["b1"]))
    z = h @ B.array(model["w2"]) + float(model.get("b2") or 0)
    return B.tolist(1 / (1 + B.lib.exp(-B.lib.clip(z, -40, 40))))


def error_of(answer, expected):
    """The largest score difference (inf when a score is missing or a label contradicts its score)."""
    got, labels = answer.get("scores") or [], answer.get("labels") or []
    if len(got) != len(expected) or len(labels) != len(expected):
        return math.inf
    error = 0.0
    for score, label, want in zip(got, labels, expected):
        score = float(score)
        if not math.isfinite(score) or int(label) != (1 if score >= 0.5 else 0):
            return math.inf
        error = max(error, abs(score - want))
    return error


def check(envelope, B):
    request = envelope.get("request") or {}
    inputs = (request.get("shard") or {}).get("inputs") or []
    try:
        expected = scores(B, request.get("model") or {}, inputs) if inputs else []
    except (KeyError, TypeError, ValueError, RuntimeError):
        return {"node": [], "error": [], "device": B.device}
    scored = []
    for worker in envelope.get("workers", []):
        try:
            error = error_of(worker.get("response") or {}, expected)
        except (TypeError, ValueError):
            error = math.inf
        if error <= TOLERANCE:
            scored.append((error, worker["node"]))
    scored.sort()
    return {"node": [node for _, node in scored], "error": [error for error, _ in scored], "device": B.device}


if __name__ == "__main__":
    choice = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else None
    json.dump(check(json.load(sys.stdin), backend(choice)), sys.stdout)
