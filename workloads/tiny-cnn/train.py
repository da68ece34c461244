# Copyright 2026 The slsa-for-models Authors
# SPDX-License-Identifier: Apache-2.0
"""Trains a small convolutional network on generated images, with checkpoints.

Usage: python train.py MODEL_NAME [--epochs N] [--device auto|cpu|cuda] [--seed S]
                       [--samples N] [--image-size P] [--width C] [--batch-size B]
                       [--checkpoint-dir DIR] [--amp auto|on|off]

The data set is generated from the seed (ten classes of noisy 3-channel patterns), so the training
image downloads nothing at run time. The work grows with --samples, --image-size and --width; with
the defaults an epoch is a few seconds on one GPU and minutes on CPUs; with tiny settings
(`--samples 64 --image-size 8 --width 4 --epochs 3`) the whole run takes a second or two on a CPU.

Checkpoints: after every epoch the model, optimizer and gradient-scaler state go to
DIR/checkpoint.pt (written to a temporary file and renamed, so a kill never leaves half a
checkpoint). DIR is --checkpoint-dir, else the CHECKPOINT_DIR environment variable (the pipeline's
training task sets it to a directory on its workspace); with neither, no checkpoint is kept. A new
attempt that finds a checkpoint of the same settings resumes after its epoch; a checkpoint of other
settings is refused. Each epoch shuffles with a generator seeded from (seed, epoch), so a resumed
run trains on exactly the batches an uninterrupted one would: on a CPU the final model file is the
same, byte for byte.

Mixed precision (float16 autocast with a gradient scaler) is used on CUDA unless --amp off.
Writes MODEL_NAME in the working directory: `pytorch_model.pth`, a state dict saved with torch.save,
or `pytorch_model_directory/`, a directory model holding that state dict as `model.pth` and the
architecture and training settings as `config.json` (what a loader needs to rebuild the network; the
pipeline records the directory by its OpenSSF Model Signing root digest). Either is written under a
temporary name and renamed, so a failed run leaves no half-written model. Needs only PyTorch (1.13
or later).
"""
import argparse
import contextlib
import hashlib
import json
import os
import shutil
import sys
import time

MODEL_NAMES = ("pytorch_model.pth", "pytorch_model_directory")
DIRECTORY_MODEL = "pytorch_model_directory"
CLASSES = 10
CHECKPOINT = "checkpoint.pt"


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="train.py", description="Train a small CNN on generated images.")
    parser.add_argument("model_name", metavar="MODEL_NAME", help="the file to write: " + ", ".join(MODEL_NAMES))
    parser.add_argument("--epochs", type=int, default=20, help="epochs to train (default 20)")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                        help="auto: cuda when available, else cpu (default auto)")
    parser.add_argument("--seed", type=int, default=1234, help="seed of the data, the weights and the shuffling")
    parser.add_argument("--samples", type=int, default=50000, help="generated training images (default 50000)")
    parser.add_argument("--image-size", type=int, default=32, help="image height and width in pixels (default 32)")
    parser.add_argument("--width", type=int, default=64, help="channels of the first convolution (default 64)")
    parser.add_argument("--batch-size", type=int, default=256, help="images per step (default 256)")
    parser.add_argument("--lr", type=float, default=0.05, help="learning rate of SGD with momentum (default 0.05)")
    parser.add_argument("--checkpoint-dir", default=None,
                        help="where to keep checkpoint.pt (default: $CHECKPOINT_DIR, else none)")
    parser.add_argument("--amp", choices=("auto", "on", "off"), default="auto",
                        help="mixed precision: auto (on for cuda), on (cuda only), off")
    args = parser.parse_args(argv)
    if args.model_name not in MODEL_NAMES:
        parser.error("MODEL_NAME %r is not one this workload writes (%s)" % (args.model_name, ", ".join(MODEL_NAMES)))
    for name in ("epochs", "samples", "image_size", "width", "batch_size"):
        if getattr(args, name) < 1:
            parser.error("--%s must be at least 1" % name.replace("_", "-"))
    if args.image_size < 4:
        parser.error("--image-size must be at least 4")
    if args.checkpoint_dir is None:
        args.checkpoint_dir = os.environ.get("CHECKPOINT_DIR") or None
    return args


def choose_device(torch, wanted):
    if wanted == "cuda" and not torch.cuda.is_available():
        raise SystemExit("train.py: --device cuda, but torch %s sees no CUDA device" % torch.__version__)
    if wanted == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return wanted


def make_data(torch, args):
    """Ten classes: each a random pattern; a sample is its class pattern, shifted, plus noise."""
    g = torch.Generator().manual_seed(args.seed)
    size = args.image_size
    prototypes = torch.randn(CLASSES, 3, size, size, generator=g)
    labels = torch.randint(0, CLASSES, (args.samples,), generator=g)
    shifts = torch.randint(-2, 3, (args.samples, 2), generator=g)
    images = prototypes[labels]
    for i in range(args.samples):
        dy, dx = int(shifts[i, 0]), int(shifts[i, 1])
        if dy or dx:
            images[i] = torch.roll(images[i], shifts=(dy, dx), dims=(1, 2))
    images = images + 1.5 * torch.randn(images.shape, generator=g)
    return images, labels


def make_model(torch, width):
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(3, width, 3, padding=1), nn.BatchNorm2d(width), nn.ReLU(),
        nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(2 * width, 4 * width, 3, padding=1), nn.BatchNorm2d(4 * width), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4 * width, CLASSES),
    )


def make_scaler(torch, enabled):
    # torch.amp.GradScaler("cuda") since 2.3; torch.cuda.amp.GradScaler before (deprecated after).
    amp = getattr(torch, "amp", None)
    if amp is not None and hasattr(amp, "GradScaler"):
        return amp.GradScaler("cuda", enabled=enabled)
    return torch.cuda.amp.GradScaler(enabled=enabled)


def settings_of(args):
    """What a checkpoint must agree on to be resumed (not --epochs: a run may be extended)."""
    keys = ("seed", "samples", "image_size", "width", "batch_size", "lr")
    return {k: getattr(args, k) for k in keys}


def save_checkpoint(torch, directory, state):
    os.makedirs(directory, exist_ok=True)
    final = os.path.join(directory, CHECKPOINT)
    temp = os.path.join(directory, "." + CHECKPOINT + ".tmp")
    torch.save(state, temp)
    with open(temp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(temp, final)


def load_checkpoint(torch, directory, settings):
    if not directory:
        return None
    path = os.path.join(directory, CHECKPOINT)
    if not os.path.isfile(path):
        return None
    # A checkpoint is data (tensors, numbers, strings), never code to unpickle: weights_only on PyTorch 2
    # and later (1.13's restricted unpickler cannot read a float, so there the plain loader is used).
    restricted = int(torch.__version__.split(".")[0]) >= 2
    state = torch.load(path, map_location="cpu", weights_only=True) if restricted else torch.load(path, map_location="cpu")
    if state.get("settings") != settings:
        raise SystemExit("train.py: %s was written with other settings (%s), not %s; remove it or use another "
                         "--checkpoint-dir" % (path, json.dumps(state.get("settings"), sort_keys=True),
                                               json.dumps(settings, sort_keys=True)))
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print("train.py: resuming from %s (epoch %d done, sha256:%s)" % (path, state["epoch"], digest), flush=True)
    return state


def main(argv):
    args = parse_args(argv)
    if args.model_name == DIRECTORY_MODEL and os.path.lexists(args.model_name):
        # a directory is not replaced in one step: refuse before training, not after
        raise SystemExit("train.py: %s exists; remove it first (the pipeline's training step does)" % args.model_name)
    import torch  # imported here so that --help and argument errors need no torch

    device = choose_device(torch, args.device)
    use_amp = device == "cuda" and args.amp != "off"
    if args.amp == "on" and device != "cuda":
        raise SystemExit("train.py: --amp on needs --device cuda (mixed precision is used on CUDA only)")
    torch.manual_seed(args.seed)
    torch.backends.cudnn.benchmark = False
    torch.backends.cudnn.deterministic = True
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))

    images, labels = make_data(torch, args)
    model = make_model(torch, args.width)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    scaler = make_scaler(torch, use_amp)
    settings = settings_of(args)
    state = load_checkpoint(torch, args.checkpoint_dir, settings)
    start = 0
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scaler.load_state_dict(state["scaler"])
        start = state["epoch"]
    model.to(device)
    # the optimizer's momentum buffers follow the parameters to the device
    for buffers in optimizer.state.values():
        for k, v in buffers.items():
            if torch.is_tensor(v):
                buffers[k] = v.to(device)
    print("train.py: torch %s, device %s%s, %d samples of 3x%dx%d, width %d, epochs %d..%d" % (
        torch.__version__, device, " (mixed precision)" if use_amp else "", args.samples, args.image_size,
        args.image_size, args.width, start + 1, args.epochs), flush=True)

    loss_fn = torch.nn.CrossEntropyLoss()

    def autocast():
        if use_amp:
            return torch.autocast(device_type="cuda", dtype=torch.float16)
        return contextlib.nullcontext()

    for epoch in range(start, args.epochs):
        began = time.monotonic()
        model.train()
        order = torch.randperm(args.samples, generator=torch.Generator().manual_seed(args.seed * 1000003 + epoch))
        total, correct, loss_sum = 0, 0, 0.0
        for first in range(0, args.samples, args.batch_size):
            index = order[first:first + args.batch_size]
            x = images[index].to(device, non_blocking=True)
            y = labels[index].to(device, non_blocking=True)
            optimizer.zero_grad(set_to_none=True)
            with autocast():
                out = model(x)
                loss = loss_fn(out, y)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            loss_sum += float(loss.detach()) * len(index)
            correct += int((out.argmax(1) == y).sum())
            total += len(index)
        print("train.py: epoch %d/%d loss %.4f accuracy %.3f (%.2fs)" % (
            epoch + 1, args.epochs, loss_sum / total, correct / total, time.monotonic() - began), flush=True)
        if args.checkpoint_dir:
            save_checkpoint(torch, args.checkpoint_dir, {
                "epoch": epoch + 1, "settings": settings,
                "model": {k: v.detach().cpu() for k, v in model.state_dict().items()},
                "optimizer": optimizer.state_dict(), "scaler": scaler.state_dict(),
            })

    model.eval()
    weights = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    write_model(torch, args, weights)
    print("train.py: wrote %s%s" % (args.model_name, "/" if args.model_name == DIRECTORY_MODEL else ""), flush=True)
    return 0


def write_model(torch, args, weights):
    """Writes the model under a temporary name in the working directory, then renames it into place."""
    temporary = ".%s.partial" % args.model_name
    if os.path.isdir(temporary) and not os.path.islink(temporary):
        shutil.rmtree(temporary)
    if args.model_name != DIRECTORY_MODEL:
        torch.save(weights, temporary)
        os.replace(temporary, args.model_name)
        return
    os.mkdir(temporary)
    torch.save(weights, os.path.join(temporary, "model.pth"))
    config = {
        "architecture": "tiny-cnn",
        "classes": CLASSES,
        "image_size": args.image_size,
        "in_channels": 3,
        "width": args.width,
        "weights": "model.pth",
        "trained": dict(settings_of(args), epochs=args.epochs),
    }
    with open(os.path.join(temporary, "config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")
    try:
        os.rename(temporary, args.model_name)
    except OSError:
        shutil.rmtree(temporary)
        raise SystemExit("train.py: cannot put %s in place (it appeared while training)" % args.model_name)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
