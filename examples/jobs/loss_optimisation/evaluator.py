"""Evaluator.Score: ranks the workers' perceptrons by mean cross-entropy on the test set the client
revealed after submission, lowest first (the paper's "L(w) ~ 0" wins).

Reads {"request": <TrainRequest>, "workers": [{"node": "ain1...", "response": <Model>}, ...],
"test_data": {"points": [{"x": [..], "y": 0|1}, ...]}} on stdin and writes a Ranking {"node": [best,
...], "loss": [..], "accuracy": [..], "device"} on stdout. A model whose weights do not fit its hidden
width and the test inputs, or whose loss is not a finite number, is left out.

Runs on PyTorch on the GPU when `import torch` works and torch.cuda.is_available() (float32), else on
numpy on the CPU (float64); `--backend numpy|torch` forces one, as for the worker.
"""
import json
import math
import os
import sys

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


class Torch:
    def __init__(self, torch):
        self.lib = torch
        self.device = "cuda" if torch.cuda.is_available() else "cpu"

    def array(self, values):
        return self.lib.tensor(values, dtype=self.lib.float32, device=self.device)


def test_scores(B, model, points):
    """(loss, accuracy) of a model on the test points, or None when it does not fit them."""
    hidden = int(model.get("hidden") or 0)
    inputs = len(points[0]["x"])
    w1, b1, w2 = model.get("w1") or [], model.get("b1") or [], model.get("w2") or []
    if hidden <= 0 or len(w1) != inputs * hidden or len(b1) != hidden or len(w2) != hidden:
        return None
    if any(len(p["x"]) != inputs for p in points):
        return None
    x = B.array([p["x"] for p in points])
    y = B.array([float(p["y"]) for p in points])
    h = B.lib.tanh(x @ B.array(w1).reshape(inputs, hidden) + B.array(b1))
    z = h @ B.array(w2) + float(model.get("b2") or 0)
    softplus = (B.lib.abs(z) + z) / 2 + B.lib.log1p(B.lib.exp(-B.lib.abs(z)))
    loss = float((softplus - y * z).mean())
    accuracy = float(((z > 0) == (y > 0.5)).sum()) / len(points)
    return (loss, accuracy) if math.isfinite(loss) else None


def score(envelope, B):
    points = (envelope.get("test_data") or {}).get("points") or []
    scored = []
    for worker in envelope.get("workers", []) if points else []:
        try:
            result = test_scores(B, worker.get("response") or {}, points)
        except (TypeError, ValueError, KeyError, RuntimeError):
            result = None
        if result is not None:
            scored.append((result[0], -result[1], worker["node"]))
    scored.sort()
    return {
        "node": [node for _, _, node in scored],
        "loss": [loss for loss, _, _ in scored],
        "accuracy": [-accuracy for _, accuracy, _ in scored],
        "device": B.device,
    }


if __name__ == "__main__":
    choice = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else None
    json.dump(score(json.load(sys.stdin), backend(choice)), sys.stdout)
