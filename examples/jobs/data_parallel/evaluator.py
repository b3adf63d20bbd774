"""Evaluator.Check of the data-parallel example: repeats each worker's step on the shard and ranks the
workers whose update matches, closest first. A worker that skipped the work or trained on something
else is left out, so the client averages only updates that were computed as asked.

Reads {"request": <Step>, "workers": [{"node": "ain1...", "response": <Update>}, ...], "test_data":
null} on stdin and writes a Check {"node": [best, ...], "error": [..], "device"} on stdout. An update
matches when its examples count is the shard's and each weight and the loss are within TOLERANCE
(relative to 1 + |value|) of this evaluator's own: float32 on a GPU and float64 on a CPU both pass.

Runs on PyTorch on the GPU when `import torch` works and torch.cuda.is_available() (float32), else on
numpy on the CPU (float64); `--backend numpy|torch` forces one.
"""
import json
import math
import os
import sys

LOCAL_STEPS = 10
LEARNING_RATE = 0.5
TOLERANCE = 1e-3

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


def local_training(B, weights, examples, steps, rate):
    """The worker's computation, repeated: (weights after the steps, loss at the weights given)."""
    x = B.array([list(e["x"]) + [1.0] for e in examples]).reshape(len(examples), len(weights))
    y = B.array([float(e["y"]) for e in examples])
    w = B.array(weights)
    z = x @ w
    loss = float(((B.lib.abs(z) + z) / 2 + B.lib.log1p(B.lib.exp(-B.lib.abs(z))) - y * z).mean())
    for _ in range(steps):
        p = 1 / (1 + B.lib.exp(-B.lib.clip(x @ w, -40, 40)))
        w = w - rate * (x.T @ (p - y)) / len(examples)
    return B.tolist(w), loss


def error_of(update, expected, loss, count):
    """The largest relative difference between an update and the expected one (inf when it does not fit)."""
    weights = update.get("weights") or []
    if int(update.get("examples") or 0) != count or len(weights) != len(expected):
        return math.inf
    pairs = list(zip(weights, expected)) + [(update.get("loss") or 0.0, loss)]
    error = max(abs(float(a) - b) / (1 + abs(b)) for a, b in pairs)
    return error if math.isfinite(error) else math.inf


def check(envelope, B):
    request = envelope.get("request") or {}
    examples = (request.get("shard") or {}).get("examples") or []
    weights = [float(v) for v in request.get("weights") or []]
    steps = int(request.get("local_steps") or LOCAL_STEPS)
    rate = float(request.get("learning_rate") or LEARNING_RATE)
    expected, loss = local_training(B, weights, examples, steps, rate) if examples else (weights, 0.0)
    scored = []
    for worker in envelope.get("workers", []):
        try:
            error = error_of(worker.get("response") or {}, expected, loss, len(examples))
        except (TypeError, ValueError):
            error = math.inf
        if error <= TOLERANCE:
            scored.append((error, worker["node"]))
    scored.sort()
    return {"node": [node for _, node in scored], "error": [error for error, _ in scored], "device": B.device}


if __name__ == "__main__":
    choice = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else None
    json.dump(check(json.load(sys.stdin), backend(choice)), sys.stdout)
