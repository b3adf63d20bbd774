"""Worker.Fit: linear regression y ~ w . x + b by full-batch gradient descent on mean squared error.

Reads a Dataset {"train": [{"x": [..], "y": ..}, ...], "epochs": 200, "learning_rate": 0.1} on stdin and
writes a Model {"w": [..], "b": .., "train_loss": ..} on stdout. The request may leave epochs and
learning_rate to the worker: then EPOCHS and LEARNING_RATE below are this worker's own settings.
"""
import json
import sys

EPOCHS = 200
LEARNING_RATE = 0.1


def mse(points, w, b):
    return sum((sum(wi * xi for wi, xi in zip(w, p["x"])) + b - p["y"]) ** 2 for p in points) / len(points)


def fit(dataset):
    points = dataset.get("train") or []
    if not points:
        return {"w": [], "b": 0.0, "train_loss": 0.0}
    epochs = int(dataset.get("epochs") or EPOCHS)
    rate = float(dataset.get("learning_rate") or LEARNING_RATE)
    features = len(points[0]["x"])
    w, b, n = [0.0] * features, 0.0, len(points)
    for _ in range(epochs):
        grad_w, grad_b = [0.0] * features, 0.0
        for p in points:
            error = sum(wi * xi for wi, xi in zip(w, p["x"])) + b - p["y"]
            for i in range(features):
                grad_w[i] += 2 * error * p["x"][i] / n
            grad_b += 2 * error / n
        w = [wi - rate * gi for wi, gi in zip(w, grad_w)]
        b -= rate * grad_b
    return {"w": w, "b": b, "train_loss": mse(points, w, b)}


if __name__ == "__main__":
    json.dump(fit(json.load(sys.stdin)), sys.stdout)
