"""The work every fake Wan2GP entry point shares: check a task's settings the way Wan2GP's
`validate_settings` would refuse them, step through "denoising" while reporting progress, and
write a short real MP4 with ffmpeg, named the way Wan2GP names its outputs.

What a test can ask for, by a marker in the prompt (the only text a job controls):
  [fake:fail]  a runtime error at step 2 ("CUDA out of memory ...")
  [fake:slow]  0.3 s per step, long enough to cancel mid-run
Otherwise each step takes FAKE_WAN2GP_STEP_S seconds (default 0.005).
"""

import json
import os
import re
import subprocess
import time
from datetime import datetime


class ValidationFailed(Exception):
    """The task's settings were refused before anything ran (Wan2GP prints [SKIP])."""


class Cancelled(Exception):
    pass


def load_defaults(root, model_type):
    """The model type's defaults file, as Wan2GP reads `defaults/<model_type>.json`."""
    path = os.path.join(root, "defaults", f"{model_type}.json")
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def validate(settings, root):
    """The messages `validate_settings` / `validate_task` give for these mistakes."""
    model_type = settings.get("model_type")
    if not model_type:
        raise ValidationFailed("No model_type specified")
    if load_defaults(root, model_type) is None:
        raise ValidationFailed(f"Unknown model type '{model_type}'")
    if not str(settings.get("prompt", "")).strip():
        raise ValidationFailed("Prompt cannot be empty.")
    resolution = str(settings.get("resolution", "832x480"))
    match = re.fullmatch(r"(\d+)x(\d+)", resolution)
    if not match or int(match.group(1)) % 16 or int(match.group(2)) % 16:
        raise ValidationFailed(f"Resolution {resolution} is not supported: use multiples of 16")
    start = settings.get("image_start")
    if start is not None and not os.path.isfile(str(start)):
        raise ValidationFailed("Selected start image file is missing")


def step_seconds(prompt):
    if "[fake:slow]" in prompt:
        return 0.3
    return float(os.environ.get("FAKE_WAN2GP_STEP_S", "0.005"))


def render(settings, root, output_dir, report, should_stop=lambda: False):
    """Runs one task; `report(kind, data)` gets ("status", text) and ("step", (n, total, phase)).
    Returns the MP4's path; raises ValidationFailed, Cancelled or RuntimeError."""
    validate(settings, root)
    prompt = str(settings["prompt"])
    steps = max(1, min(int(settings.get("num_inference_steps", 20)), 60))
    delay = step_seconds(prompt)
    for step in range(1, steps + 1):
        time.sleep(delay)
        if should_stop():
            raise Cancelled()
        if "[fake:fail]" in prompt and step == 2:
            raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        report("step", (step, steps, "Denoising"))
    report("status", "VAE Decoding")
    return write_mp4(settings, output_dir)


def write_mp4(settings, output_dir):
    width, height = (int(n) for n in str(settings.get("resolution", "832x480")).split("x"))
    fps = int(float(settings.get("force_fps") or 16))
    frames = max(1, min(int(settings.get("video_length", 81)), 24))
    small = f"160x{max(2, round(160 * height / width / 2) * 2)}"
    slug = re.sub(r"[^A-Za-z0-9]+", "_", str(settings["prompt"]))[:50].strip("_")
    stamp = datetime.now().strftime("%Y-%m-%d-%Hh%Mm%Ss")
    os.makedirs(output_dir, exist_ok=True)
    path = os.path.join(output_dir, f"{stamp}_seed{settings.get('seed', -1)}_{slug}.mp4")
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", f"testsrc2=size={small}:rate={fps}", "-frames:v", str(frames),
         "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", path],
        check=True,
    )
    return path


def log_call(root, entry):
    """Appends what a fake entry point was given to `<root>/calls.jsonl`, for tests."""
    with open(os.path.join(root, "calls.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")
