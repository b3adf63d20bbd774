"""Writes a synthetic binary classification set: points uniform in [-1, 1]^2, label 1 inside the circle
x0^2 + x1^2 < 0.5, 5% of the labels flipped. No straight line separates the classes: it takes the
hidden layer.

python3 make_data.py DIR [--seed 7] [--train 80] [--test 80] [--hidden 8] [--epochs 400]

DIR/input.json is the job input (a TrainRequest: the training points, the hidden width, the epochs
and the seed of the initial weights; the learning rate is left to each worker), DIR/test_data.json the
test set the client reveals after submission (a TestSet). The same arguments give the same files.
"""
import argparse
import json
import os
import random

RADIUS_SQUARED = 0.5
FLIP = 0.05


def points(rng, count):
    out = []
    for _ in range(count):
        x = [round(rng.uniform(-1, 1), 4) for _ in range(2)]
        y = 1 if x[0] ** 2 + x[1] ** 2 < RADIUS_SQUARED else 0
        if rng.random() < FLIP:
            y = 1 - y
        out.append({"x": x, "y": y})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--train", type=int, default=80)
    parser.add_argument("--test", type=int, default=80)
    parser.add_argument("--hidden", type=int, default=8)
    parser.add_argument("--epochs", type=int, default=400)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    request = {"train": points(rng, args.train), "hidden": args.hidden, "epochs": args.epochs, "seed": args.seed}
    with open(os.path.join(args.dir, "input.json"), "w") as f:
        json.dump(request, f)
    with open(os.path.join(args.dir, "test_data.json"), "w") as f:
        json.dump({"points": points(rng, args.test)}, f)


if __name__ == "__main__":
    main()
