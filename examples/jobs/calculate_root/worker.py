"""Worker.CalculateRoot of the paper's sample: a worker "not smart enough" guesses x with random search.

Reads the request {"y": 4} as JSON on stdin and writes {"x": <best guess>} on stdout.
"""
import json
import random
import sys

TRIES = 100


def calculate_root(request):
    y = float(request.get("y", 0))
    best_x, min_loss = 0.0, abs(y)
    for _ in range(TRIES):
        x = random.random() * max(y, 1.0)
        loss = abs(y - x * x)
        if loss < min_loss:
            best_x, min_loss = x, loss
    return {"x": best_x}


if __name__ == "__main__":
    json.dump(calculate_root(json.load(sys.stdin)), sys.stdout)
