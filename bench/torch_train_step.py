"""PyTorch's side of `bench/train-step`: training samples per second of the same MLP and CNN as
dev.candor.bench.TrainStepBench (same data, batch, thread count, float32, Adam, softmax cross-entropy),
one JSON line per (model, threads).

Usage (Debian's interpreter, which has python3-torch): /usr/bin/python3 bench/torch_train_step.py
    [--threads 1,2] [--batch 32] [--seconds 2]
Run from the repository root.
"""
import argparse
import csv
import json
import time

import torch
from torch import nn

BREAST = "examples/breast-cancer/data/breast_cancer_wisconsin.csv"
DIGITS = "stages/src/test/resources/data/digits_8x8.csv"


def mlp_data():
    with open(BREAST) as f:
        rows = list(csv.reader(f))[1:]
    x = torch.tensor([[float(v) for v in r[:30]] for r in rows], dtype=torch.float32)
    y = torch.tensor([1 if r[30] == "malignant" else 0 for r in rows])
    x = (x - x.mean(0)) / x.std(0, unbiased=False)
    model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 2))
    return x, y, model


def cnn_data():
    with open(DIGITS) as f:
        rows = list(csv.reader(f))[1:]
    x = torch.tensor([[float(v) / 16 for v in r[:64]] for r in rows], dtype=torch.float32).reshape(-1, 1, 8, 8)
    y = torch.tensor([int(r[64]) for r in rows])
    model = nn.Sequential(
        # Candor's conv pads 'same' by default: 8x8 -> 8x8 -> pool 4x4 -> 4x4, so flatten gives 32*4*4 = 512.
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Flatten(),
        nn.Linear(512, 64), nn.ReLU(), nn.Linear(64, 10))
    return x, y, model


def measure(name, make, threads, batch, seconds):
    torch.set_num_threads(threads)
    torch.manual_seed(7)
    x, y, model = make()
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(42)
    state = {"order": torch.randperm(len(y), generator=gen), "cursor": 0}

    def steps(count):
        loss = None
        for _ in range(count):
            if state["cursor"] + batch > len(y):
                state["order"] = torch.randperm(len(y), generator=gen)
                state["cursor"] = 0
            idx = state["order"][state["cursor"]:state["cursor"] + batch]
            state["cursor"] += batch
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        return loss

    steps(300)  # warm-up
    done = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        loss = steps(50)
        done += 50
    wall = time.perf_counter() - t0
    return {"side": "torch", "model": name, "threads": threads, "batch": batch, "steps": done,
            "samples_per_s": round(done * batch / wall, 1), "us_per_step": round(wall * 1e6 / done, 2),
            "final_loss": round(float(loss), 4), "torch": torch.__version__}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", default="1")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seconds", type=float, default=2)
    a = p.parse_args()
    torch.set_num_interop_threads(1)
    for name, make in (("mlp", mlp_data), ("cnn", cnn_data)):
        for t in (int(v) for v in a.threads.split(",")):
            print(json.dumps(measure(name, make, t, a.batch, a.seconds)), flush=True)


if __name__ == "__main__":
    main()
