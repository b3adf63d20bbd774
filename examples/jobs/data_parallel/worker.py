"""Worker.Step of the data-parallel example (the paper's "data parallelism", the client as parameter
server): a few steps of full-batch gradient descent for logistic regression on one shard, from the
weights the client sent this round.

Reads a Step {"weights": [w1, .., wd, bias], "round": 1, "shard": {"examples": [{"x": [..], "y": 0|1},
...]}, "local_steps": 10, "learning_rate": 0.5} on stdin and writes an Update {"weights": [..],
"loss": <mean cross-entropy on the shard at the weights received>, "examples": <shard size>, "round",
"device"} on stdout. The client averages the updates by examples and sends the result next round;
the loss it prints per round is the whole data set's at that round's weights. local_steps and
learning_rate 0 leave the choice to LOCAL_STEPS and LEARNING_RATE below.

Runs on PyTorch on the GPU when `import torch` works and torch.cuda.is_available() (float32), else on
numpy on the CPU (float64); "device" says which ran. `--backend numpy|torch` forces one.
"""
import json
import os
import sys

LOCAL_STEPS = 10
LEARNING_RATE = 0.5

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
    """(weights after `steps` gradient steps on the examples, mean cross-entropy at the weights given)."""
    if any(len(e["x"]) != len(weights) - 1 for e in examples):
        raise ValueError(f"the weights have {len(weights)} entries; the examples need one per feature plus a bias")
    x = B.array([list(e["x"]) + [1.0] for e in examples]).reshape(len(examples), len(weights))
    y = B.array([float(e["y"]) for e in examples])
    w = B.array(weights)
    z = x @ w
    loss = float(((B.lib.abs(z) + z) / 2 + B.lib.log1p(B.lib.exp(-B.lib.abs(z))) - y * z).mean())
    for _ in range(steps):
        p = 1 / (1 + B.lib.exp(-B.lib.clip(x @ w, -40, 40)))
        w = w - rate * (x.T @ (p - y)) / len(examples)
    return B.tolist(w), loss


def step(request, B):
    examples = (request.get("shard") or {}).get("examples") or []
    weights = [float(v) for v in request.get("weights") or []]
    steps = int(request.get("local_steps") or LOCAL_STEPS)
    rate = float(request.get("learning_rate") or LEARNING_RATE)
    loss = 0.0
    if examples:
        weights, loss = local_training(B, weights, examples, steps, rate)
    return {"weights": weights, "loss": loss, "examples": len(examples), "round": int(request.get("round") or 0), "device": B.device}


if __name__ == "__main__":
    choice = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else None
    try:
        json.dump(step(json.load(sys.stdin), backend(choice)), sys.stdout)
    except ValueError as error:
        sys.exit(f"bad step: {error}")
