"""Bundles a trained model into the service program: python3 bundle.py MODEL_JSON > service.py

MODEL_JSON is the job's accepted result (the model AINFT's weights, fetched from Big Storage by its
hash). The output is serve.py with the model written in, byte for byte the same for the same model,
so the service's code hash is a function of the model's.
"""
import json
import os
import sys


def bundle(model_text):
    json.loads(model_text)  # refuse anything that is not JSON
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "serve.py"), encoding="utf-8") as f:
        code = f.read()
    marker = "MODEL = None  # bundle.py writes the trained model here."
    if marker not in code:
        raise SystemExit("serve.py has no MODEL marker")
    return code.replace(marker, "MODEL = json.loads(" + repr(model_text) + ")", 1)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        sys.stdout.write(bundle(f.read()))
