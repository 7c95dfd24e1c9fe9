#!/usr/bin/env python3
"""Why tower B's conv-bias gradients differ on CUDA between the shared-gene step and the plain step.

The shared-gene step (drim-train --shared-genes) runs each distinct gene's neighbour images through
tower B once per batch and copies the embeddings to the pairs; the plain step runs every pair's
images. Both give the same loss, so their gradients must agree to float rounding. docs/cuda.md
records float32 conv-bias gradients on an H100 that did not. This script rebuilds tower B in PyTorch
(conv 3x3 same/valid, ReLU, max-pool 2, x3, linear 512), feeds 64 plain images against their 40
distinct ones, and prints per parameter the largest gradient and the largest difference between the
paths, in float32 and float64, with cuDNN on, deterministic, and off, and with the convolution
biases at 0 (drim's initialisation) or random. Hypothesis: with zero biases, a convolution over an
all-zero patch gives exactly 0 in one algorithm and +-1e-9 in another (cuDNN picks by batch size),
so ReLU's gradient at that tie differs between the paths; weight gradients hardly see it (the
input patch is zero), bias gradients do.
Usage: python3 scripts/cuda-shared-bias.py [device (default cuda)]
"""
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

dev = sys.argv[1] if len(sys.argv) > 1 else "cuda"
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False


class Tower(nn.Module):
    def __init__(self, zero_bias):
        super().__init__()
        spec = [(1, 32, 1), (32, 32, 0), (32, 64, 1), (64, 64, 0), (64, 128, 1), (128, 128, 0)]
        self.convs = nn.ModuleList(nn.Conv2d(i, o, 3, padding=p) for i, o, p in spec)
        self.embed = nn.Linear(512, 512)
        for c in self.convs:
            nn.init.xavier_uniform_(c.weight)
            if zero_bias:
                nn.init.zeros_(c.bias)
            else:
                nn.init.uniform_(c.bias, -0.05, 0.05)

    def forward(self, x):
        for b in range(3):
            x = F.relu(self.convs[2 * b](x))
            x = F.relu(self.convs[2 * b + 1](x))
            x = F.max_pool2d(x, 2)
        return self.embed(x.flatten(1))


def images(n, gen):
    """Sparse non-negative 32x32 'histograms', like the log-count joint histograms drim builds."""
    x = torch.rand(n, 1, 32, 32, generator=gen)
    x = torch.where(torch.rand(n, 1, 32, 32, generator=gen) < 0.15, x, torch.zeros(()))
    return torch.log10(1 + 100 * x)


def grads(tower, head, distinct, inv, y, shared):
    tower.zero_grad(); head.zero_grad()
    if shared:
        emb = tower(distinct).index_select(0, inv)      # 40 images through the tower, copied to 64
    else:
        emb = tower(distinct.index_select(0, inv))      # all 64 images through the tower
    logits = head(emb.reshape(8, 8 * 512)).squeeze(1)
    loss = F.binary_cross_entropy_with_logits(logits, y)
    loss.backward()
    return loss.item(), {n: p.grad.detach().clone() for n, p in list(tower.named_parameters())}


gen = torch.Generator().manual_seed(1)
distinct = images(40, gen)
inv = torch.randint(0, 40, (64,), generator=gen)
inv[:40] = torch.arange(40)                             # every distinct image used at least once
y = (torch.rand(8, generator=gen) < 0.5).float()
print(f"torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}, device {dev}")
for zero_bias in (True, False):
    for dtype in (torch.float32, torch.float64):
        for mode in ("cudnn", "cudnn-deterministic", "no-cudnn"):
            torch.backends.cudnn.enabled = mode != "no-cudnn"
            torch.backends.cudnn.deterministic = mode == "cudnn-deterministic"
            torch.manual_seed(5)
            tower = Tower(zero_bias).to(dev, dtype)
            head = nn.Linear(8 * 512, 1).to(dev, dtype)
            d, i, yy = distinct.to(dev, dtype), inv.to(dev), y.to(dev, dtype)
            lp, gp = grads(tower, head, d, i, yy, False)
            ls, gs = grads(tower, head, d, i, yy, True)
            _, ga = grads(tower, head, d, i, yy, False)
            worst = max((gs[n] - gp[n]).abs().max().item() for n in gp)
            big = max(g.abs().max().item() for g in gp.values())
            print(f"biases {'zero' if zero_bias else 'random'}  {str(dtype):14s} {mode:20s} loss {lp:.8f} vs {ls:.8f}; "
                  f"worst |shared - plain| {worst:.2e} of max |g| {big:.2e}")
            for n in gp:
                diff = (gs[n] - gp[n]).abs().max().item()
                if diff > 1e-4 * big:
                    print(f"    {n:16s} max|g| {gp[n].abs().max().item():.3e}  shared-plain {diff:.2e}"
                          f"  plain-again {(ga[n] - gp[n]).abs().max().item():.2e}")
