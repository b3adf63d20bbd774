"""Writes a model and a batch of inputs for the distributed-inference example: a 2-layer perceptron
(2 inputs, tanh hidden layer, one logit) with Gaussian weights, and points uniform in [-1, 1]^2.

python3 make_data.py DIR [--seed 3] [--inputs 90] [--hidden 8]

DIR/input.json is the rest of every request's input (`{"model": <Model>}`; the client adds `shard`),
DIR/batch.json the batch (`{"inputs": [{"x": [..]}, ...]}`) that `aind job run --data` stores in Big
Storage and cuts into shards. A model trained by the loss-optimisation example fits as it is:
`{"model": <its result>}`. The same arguments give the same files.
"""
import argparse
import json
import os
import random

INPUTS = 2


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--inputs", type=int, default=90)
    parser.add_argument("--hidden", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    weights = lambda count, scale: [round(rng.gauss(0, scale), 6) for _ in range(count)]  # noqa: E731
    model = {
        "hidden": args.hidden,
        "w1": weights(INPUTS * args.hidden, 2.0),
        "b1": weights(args.hidden, 0.5),
        "w2": weights(args.hidden, 2.0),
        "b2": round(rng.gauss(0, 0.5), 6),
    }
    batch = {"inputs": [{"x": [round(rng.uniform(-1, 1), 4) for _ in range(INPUTS)]} for _ in range(args.inputs)]}
    os.makedirs(args.dir, exist_ok=True)
    with open(os.path.join(args.dir, "input.json"), "w") as f:
        json.dump({"model": model}, f)
    with open(os.path.join(args.dir, "batch.json"), "w") as f:
        json.dump(batch, f)


if __name__ == "__main__":
    main()
