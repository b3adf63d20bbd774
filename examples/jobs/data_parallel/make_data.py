"""Writes a synthetic logistic-regression set for the data-parallel example: 4 features uniform in
[-1, 1], label 1 with probability sigmoid(1.5 x0 - 2 x1 + 0.5 x2 + x3 - 0.25).

python3 make_data.py DIR [--seed 5] [--examples 480] [--local-steps 10] [--learning-rate 0.5]

DIR/data.json is the data set (`{"examples": [{"x": [..], "y": 0|1}, ...]}`) that `aind job run
--data` stores in Big Storage and cuts into shards; DIR/input.json the rest of every request's input
(a Step without `round` and `shard`, which the client sets: the starting weights, zeros, and the
local training settings). The same arguments give the same files.
"""
import argparse
import json
import math
import os
import random

WEIGHTS = [1.5, -2.0, 0.5, 1.0]
BIAS = -0.25


def examples(rng, count):
    out = []
    for _ in range(count):
        x = [round(rng.uniform(-1, 1), 4) for _ in WEIGHTS]
        p = 1 / (1 + math.exp(-(sum(w * xi for w, xi in zip(WEIGHTS, x)) + BIAS)))
        out.append({"x": x, "y": 1 if rng.random() < p else 0})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--examples", type=int, default=480)
    parser.add_argument("--local-steps", type=int, default=10)
    parser.add_argument("--learning-rate", type=float, default=0.5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    with open(os.path.join(args.dir, "data.json"), "w") as f:
        json.dump({"examples": examples(rng, args.examples)}, f)
    step = {"weights": [0.0] * (len(WEIGHTS) + 1), "local_steps": args.local_steps, "learning_rate": args.learning_rate}
    with open(os.path.join(args.dir, "input.json"), "w") as f:
        json.dump(step, f)


if __name__ == "__main__":
    main()
