"""Worker.Predict of the distributed-inference example: the perceptron's class probabilities for one
shard of a batch, in the shard's order. `aind job run --data batch.json --shards K` sends each shard
to its own request and joins the answers in the batch's order.

Reads a Batch {"model": {"hidden", "w1" (inputs x hidden, row major), "b1", "w2", "b2"}, "shard":
{"inputs": [{"x": [..]}, ...]}} on stdin and writes Predictions {"scores": [P(class 1), ...],
"labels": [0|1, ...], "device"} on stdout, one score and label per input.

Runs on PyTorch on the GPU when `import torch` works and torch.cuda.is_available() (float32), else on
numpy on the CPU (float64); "device" says which ran. `--backend numpy|torch` forces one.
"""
import json
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
    """P(class 1) for each input, in order."""
    hidden = int(model.get("hidden") or 0)
    width = len(inputs[0]["x"])
    if hidden <= 0 or len(model.get("w1") or []) != width * hidden or any(len(i["x"]) != width for i in inputs):
        raise ValueError(f"the model does not take inputs of {width} features")
    x = B.array([i["x"] for i in inputs])
    h = B.lib.tanh(x @ B.array(model["w1"]).reshape(width, hidden) + B.array(model["b1"]))
    z = h @ B.array(model["w2"]) + float(model.get("b2") or 0)
    return B.tolist(1 / (1 + B.lib.exp(-B.lib.clip(z, -40, 40))))


def predict(request, B):
    inputs = (request.get("shard") or {}).get("inputs") or []
    p = scores(B, request.get("model") or {}, inputs) if inputs else []
    return {"scores": p, "labels": [1 if s >= 0.5 else 0 for s in p], "device": B.device}


if __name__ == "__main__":
    choice = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else None
    try:
        json.dump(predict(json.load(sys.stdin), backend(choice)), sys.stdout)
    except ValueError as error:
        sys.exit(f"bad batch: {error}")
