"""Writes a synthetic regression set: y = 2 x0 - 3 x1 + 0.5 + noise, features uniform in [-1, 1].

python3 make_data.py DIR [--seed 7] [--train 40] [--test 20] [--epochs 100]

DIR/input.json is the job input (a Dataset: the training points and the epochs; the learning rate is
left to each worker), DIR/test_data.json the test set the client reveals after submission (a
TestSet). The same seed gives the same files.
"""
import argparse
import json
import os
import random

WEIGHTS = [2.0, -3.0]
BIAS = 0.5
NOISE = 0.1


def points(rng, count):
    out = []
    for _ in range(count):
        x = [round(rng.uniform(-1, 1), 4) for _ in WEIGHTS]
        y = sum(w * xi for w, xi in zip(WEIGHTS, x)) + BIAS + rng.gauss(0, NOISE)
        out.append({"x": x, "y": round(y, 4)})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--train", type=int, default=40)
    parser.add_argument("--test", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    with open(os.path.join(args.dir, "input.json"), "w") as f:
        json.dump({"train": points(rng, args.train), "epochs": args.epochs}, f)
    with open(os.path.join(args.dir, "test_data.json"), "w") as f:
        json.dump({"points": points(rng, args.test)}, f)


if __name__ == "__main__":
    main()
