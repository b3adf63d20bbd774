"""Runs each ML example's worker and evaluator on both paths, numpy (float64, CPU) and PyTorch (float32;
the GPU when torch sees one, else its CPU), and checks that they agree within the examples'
tolerances, and that each path's evaluator accepts the other path's worker output.

python3 examples/jobs/compare_backends.py        # exits 1, naming the difference, when they disagree

Needs numpy and torch for the python3 that runs it; the data comes from each example's make_data.py.
Prints one JSON line per check with the device each path ran on.
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def run(example, program, value, backend):
    path = os.path.join(HERE, example, program)
    done = subprocess.run(
        [sys.executable, path, "--backend", backend], input=json.dumps(value), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{example}/{program} --backend {backend} failed: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout)


def make_data(example, directory, *args):
    subprocess.run([sys.executable, os.path.join(HERE, example, "make_data.py"), directory, *args], check=True)
    return lambda name: json.load(open(os.path.join(directory, name)))


def close(a, b, tolerance):
    """Largest relative difference of two numbers or equal-length lists of numbers, against the tolerance."""
    a, b = (a, b) if isinstance(a, list) else ([a], [b])
    if len(a) != len(b):
        return False, float("inf")
    worst = max((abs(x - y) / (1 + abs(y)) for x, y in zip(a, b)), default=0.0)
    return worst <= tolerance, worst


def report(name, checks, outputs):
    ok = all(passed for passed, _ in checks.values())
    devices = {backend: out.get("device") for backend, out in outputs.items()}
    print(json.dumps({"check": name, "ok": ok, "devices": devices, "worst": {k: v for k, (_, v) in checks.items()}}))
    return ok


def loss_optimisation(directory):
    data = make_data("loss_optimisation", directory)
    request, test = data("input.json"), data("test_data.json")
    models = {b: run("loss_optimisation", "worker.py", dict(request, learning_rate=1.0), b) for b in ("numpy", "torch")}
    ok = report(
        "loss_optimisation worker",
        {k: close(models["torch"][k], models["numpy"][k], 2e-3) for k in ("w1", "b1", "w2", "b2", "loss")},
        models,
    )
    envelope = {"request": request, "workers": [{"node": b, "response": m} for b, m in models.items()], "test_data": test}
    ranks = {b: run("loss_optimisation", "evaluator.py", envelope, b) for b in ("numpy", "torch")}
    checks = {"loss": close(ranks["torch"]["loss"], ranks["numpy"]["loss"], 1e-3)}
    checks["both ranked"] = (all(sorted(r["node"]) == ["numpy", "torch"] for r in ranks.values()), 0.0)
    return report("loss_optimisation evaluator", checks, ranks) and ok


def data_parallel(directory):
    data = make_data("data_parallel", directory)
    step = dict(data("input.json"), round=1, shard={"examples": data("data.json")["examples"][:240]})
    updates = {b: run("data_parallel", "worker.py", step, b) for b in ("numpy", "torch")}
    ok = report(
        "data_parallel worker",
        {k: close(updates["torch"][k], updates["numpy"][k], 1e-4) for k in ("weights", "loss")},
        updates,
    )
    envelope = {"request": step, "workers": [{"node": b, "response": u} for b, u in updates.items()], "test_data": None}
    checks = {b: run("data_parallel", "evaluator.py", envelope, b) for b in ("numpy", "torch")}
    both = all(sorted(c["node"]) == ["numpy", "torch"] for c in checks.values())
    return report("data_parallel evaluator", {"both accepted": (both, 0.0)}, checks) and ok


def distributed_inference(directory):
    data = make_data("distributed_inference", directory)
    batch = dict(data("input.json"), shard={"inputs": data("batch.json")["inputs"]})
    answers = {b: run("distributed_inference", "worker.py", batch, b) for b in ("numpy", "torch")}
    ok = report("distributed_inference worker", {"scores": close(answers["torch"]["scores"], answers["numpy"]["scores"], 1e-5)}, answers)
    envelope = {"request": batch, "workers": [{"node": b, "response": a} for b, a in answers.items()], "test_data": None}
    checks = {b: run("distributed_inference", "evaluator.py", envelope, b) for b in ("numpy", "torch")}
    both = all(sorted(c["node"]) == ["numpy", "torch"] for c in checks.values())
    return report("distributed_inference evaluator", {"both accepted": (both, 0.0)}, checks) and ok


if __name__ == "__main__":
    results = []
    for example in (loss_optimisation, data_parallel, distributed_inference):
        with tempfile.TemporaryDirectory() as directory:
            results.append(example(directory))
    sys.exit(0 if all(results) else 1)
