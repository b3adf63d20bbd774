"""Worker.Train: a 2-layer perceptron (tanh hidden layer, one logit) trained on a binary classification
set by full-batch gradient descent on the mean cross-entropy: the paper's "optimizing loss function".

Reads a TrainRequest {"train": [{"x": [..], "y": 0|1}, ...], "hidden": 8, "epochs": 400,
"learning_rate": 0, "seed": 1} on stdin and writes a Model {"hidden", "w1" (inputs x hidden, row
major), "b1", "w2", "b2", "loss" (on the training set), "epochs", "learning_rate", "device"} on stdout.
epochs and learning_rate 0 leave the choice to this worker: EPOCHS and LEARNING_RATE below are its
operator's settings. The initial weights come from `seed` alone, so every worker starts alike.

Runs on PyTorch on the GPU when `import torch` works and torch.cuda.is_available() (float32), else on
numpy on the CPU (float64); "device" says which ran. `python3 worker.py --backend numpy|torch < in.json`
forces one (torch then runs on the CPU without a GPU), to compare the two paths on one machine.
"""
import json
import math
import os
import random
import sys

EPOCHS = 400
LEARNING_RATE = 1.0

# Small matrices: one BLAS thread, which also keeps numpy's address space inside the sandbox's limit.
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


def initial_weights(inputs, hidden, seed):
    """The starting point of every worker: Gaussian weights scaled by 1/sqrt(fan-in), zero biases."""
    rng = random.Random(seed)
    w1 = [[rng.gauss(0, 1 / math.sqrt(inputs)) for _ in range(hidden)] for _ in range(inputs)]
    w2 = [rng.gauss(0, 1 / math.sqrt(hidden)) for _ in range(hidden)]
    return w1, [0.0] * hidden, w2, 0.0


def logits(B, x, w1, b1, w2, b2):
    h = B.lib.tanh(x @ w1 + b1)
    return h, h @ w2 + b2


def cross_entropy(B, z, y):
    """Mean binary cross-entropy of logits z against labels y, stable for large |z|."""
    softplus = (B.lib.abs(z) + z) / 2 + B.lib.log1p(B.lib.exp(-B.lib.abs(z)))
    return (softplus - y * z).mean()


def train(request, B):
    points = request.get("train") or []
    hidden = int(request.get("hidden") or 8)
    epochs = int(request.get("epochs") or EPOCHS)
    rate = float(request.get("learning_rate") or LEARNING_RATE)
    inputs = len(points[0]["x"]) if points else 0
    w1, b1, w2, b2 = (B.array(v) for v in initial_weights(inputs, hidden, int(request.get("seed") or 0)))
    x = B.array([p["x"] for p in points]).reshape(len(points), inputs)
    y = B.array([float(p["y"]) for p in points])
    n = max(len(points), 1)
    for _ in range(epochs):
        h, z = logits(B, x, w1, b1, w2, b2)
        dz = (1 / (1 + B.lib.exp(-B.lib.clip(z, -40, 40))) - y) / n
        dh = dz.reshape(-1, 1) * w2.reshape(1, -1) * (1 - h * h)
        w2, b2 = w2 - rate * (h.T @ dz), b2 - rate * dz.sum()
        w1, b1 = w1 - rate * (x.T @ dh), b1 - rate * dh.sum(0)
    loss = float(cross_entropy(B, logits(B, x, w1, b1, w2, b2)[1], y)) if points else 0.0
    return {
        "hidden": hidden,
        "w1": [v for row in B.tolist(w1) for v in row],
        "b1": B.tolist(b1),
        "w2": B.tolist(w2),
        "b2": float(b2),
        "loss": loss,
        "epochs": epochs,
        "learning_rate": rate,
        "device": B.device,
    }


if __name__ == "__main__":
    choice = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else None
    json.dump(train(json.load(sys.stdin), backend(choice)), sys.stdout)
