#!/usr/bin/env python3
"""The Wan2GP bridge: Wan2GP's own in-process API (shared/api.py: `init(...)`,
`session.submit_task(settings)`, job events) served as a Gradio app with ONE named endpoint,
`generate(settings, start image) -> video`, reporting progress through gr.Progress. Wan2GP's
own UI has no named endpoints (its callbacks pass internal gr.State), so this is the stable way
to drive it from @gradio/client; and unlike `wgp.py --process`, the model stays loaded between
jobs.

Run it in Wan2GP's own python (it has Gradio and torch):

    python wan2gp_bridge.py --wan2gp /path/to/Wan2GP --profile 4 [--attention sdpa] [--port 7899]

The agent finds it at http://127.0.0.1:7899 (or its --wan2gp-bridge URL) and sends jobs there.

Layout: everything that talks to Wan2GP is plain Python below (parse_settings, progress_of,
run_job, open_session), tested without Gradio against a fake Wan2GP package
(test/fakes/wan2gp/test_bridge.py). The Gradio part is build_app() and main(): one
gr.Interface whose async function awaits run_job. Cancelling from the client cancels that task
(gradio/utils.py cancel_tasks); run_job turns the CancelledError into Wan2GP's job.cancel().
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The endpoint's name, title and components, shared with the agent (bridge_api.json).
API = json.loads((HERE / "bridge_api.json").read_text(encoding="utf-8"))

# The settings the agent sends (gpu-agent/backends/wan2gp/settings.ts), and their JSON types.
# Anything else is refused: a caller must not name files on this machine (image_start and other
# media settings are set here, from the uploaded file) or switch Wan2GP's behaviour at will.
ALLOWED_SETTINGS = {
    "model_type": str,
    "prompt": str,
    "negative_prompt": str,
    "resolution": str,
    "video_length": int,
    "num_inference_steps": int,
    "guidance_scale": (int, float),
    "flow_shift": (int, float),
    "seed": int,
    "force_fps": str,
    "repeat_generation": int,
    "image_prompt_type": str,
}

VIDEO_EXTENSIONS = (".mp4", ".mkv", ".webm", ".mov")


class BridgeError(Exception):
    """A failure whose message is for the caller (shown through gr.Error)."""


def parse_settings(text, start_image):
    """The job's settings from the endpoint's inputs: JSON with known keys and types only,
    and the uploaded start image (a path Gradio saved) as `image_start`."""
    try:
        settings = json.loads(text)
    except (TypeError, ValueError) as error:
        raise BridgeError(f"settings is not JSON: {error}") from None
    if not isinstance(settings, dict):
        raise BridgeError("settings must be a JSON object")
    for key, value in settings.items():
        kind = ALLOWED_SETTINGS.get(key)
        if kind is None:
            raise BridgeError(f"setting {key!r} is not accepted by the bridge")
        if isinstance(value, bool) or not isinstance(value, kind):
            raise BridgeError(f"setting {key!r} has the wrong type ({type(value).__name__})")
    if start_image:
        settings["image_start"] = str(start_image)
        settings["image_prompt_type"] = "S"
    elif "S" in str(settings.get("image_prompt_type", "")):
        raise BridgeError("the settings start from an image, but none was sent")
    return settings


def progress_of(event):
    """(fraction or None, step or None, steps or None, text) for a progress or status event."""
    if event.kind == "progress":
        update = event.data
        fraction = max(0.0, min(1.0, float(getattr(update, "progress", 0) or 0) / 100.0))
        return (fraction, getattr(update, "current_step", None), getattr(update, "total_steps", None),
                str(getattr(update, "status", "") or getattr(update, "phase", "")))
    if event.kind == "status" and str(event.data or "").strip():
        return (None, None, None, str(event.data).strip())
    return None


async def run_job(session, settings, report, poll_seconds=0.1):
    """Runs one task; `report(fraction, step, steps, text)` on progress. Returns the video's
    path; raises BridgeError with Wan2GP's own message. Cancelling this coroutine cancels the
    Wan2GP job."""
    job = session.submit_task(settings)
    loop = asyncio.get_running_loop()
    try:
        while True:
            # The stream blocks; a worker thread waits on it so the event loop does not.
            event = await loop.run_in_executor(None, job.events.get, poll_seconds)
            if event is None:
                if job.events.closed or job.done:
                    break
                continue
            seen = progress_of(event)
            if seen is not None:
                report(*seen)
            if event.kind == "completed":
                break
    except asyncio.CancelledError:
        job.cancel()
        raise
    result = await loop.run_in_executor(None, job.result, 60)
    if not result.success:
        messages = [str(getattr(e, "message", e)) for e in result.errors]
        raise BridgeError("; ".join(m for m in messages if m) or "Wan2GP failed")
    videos = [f for f in result.generated_files if str(f).lower().endswith(VIDEO_EXTENSIONS)]
    if not videos:
        raise BridgeError("Wan2GP finished without a video")
    return str(videos[-1])


def open_session(wan2gp_dir, profile, attention, output_dir):
    """Wan2GP's API session, as docs/API.md starts one: `init(root=..., cli_args=[...])`."""
    wan2gp_dir = Path(wan2gp_dir).resolve()
    if not (wan2gp_dir / "wgp.py").is_file():
        raise SystemExit(f"no wgp.py in {wan2gp_dir}: give the folder you cloned Wan2GP into")
    # Wan2GP finds ckpts/ and defaults/ from its own folder.
    os.chdir(wan2gp_dir)
    sys.path.insert(0, str(wan2gp_dir))
    from shared.api import init  # noqa: E402  (Wan2GP's own package)

    return init(root=wan2gp_dir, output_dir=Path(output_dir),
                cli_args=["--profile", str(profile), "--attention", attention],
                console_output=True)


def title(profile, attention):
    """The app's title, which also tells the agent the profile this bridge runs with."""
    return f"{API['title']} · profile {profile} · {attention}"


def build_app(gr, session, profile, attention):
    """One gr.Interface with the named endpoint; everything else is run_job's."""

    async def generate(settings, start_image, progress=gr.Progress()):
        def report(fraction, step, steps, text):
            if step is not None and steps:
                progress((int(step), int(steps)), desc=text or None)
            else:
                progress(fraction or 0.0, desc=text or None)

        try:
            return await run_job(session, parse_settings(settings, start_image), report)
        except BridgeError as error:
            raise gr.Error(str(error)) from None

    [settings_input, image_input] = API["inputs"]
    return gr.Interface(
        fn=generate,
        inputs=[gr.Textbox(label=settings_input["label"]),
                gr.File(label=image_input["label"], type="filepath")],
        outputs=gr.File(label=API["outputs"][0]["label"]),
        api_name=API["api_name"],
        title=title(profile, attention),
        flagging_mode="never",
        concurrency_limit=1,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wan2gp", required=True, help="the folder you cloned Wan2GP into")
    parser.add_argument("--profile", default="4", help="Wan2GP memory profile (1-5, 3.5, 4.5)")
    parser.add_argument("--attention", default="sdpa", choices=["sdpa", "sage", "sage2", "flash"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7899)
    parser.add_argument("--output-dir", default=os.path.join(tempfile.gettempdir(), "wan2gp_bridge"))
    parser.add_argument("--max-queue", type=int, default=16)
    args = parser.parse_args(argv)
    output_dir = Path(args.output_dir).resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    session = open_session(args.wan2gp, args.profile, args.attention, output_dir)
    import gradio as gr  # noqa: E402  (Wan2GP's python has it)

    app = build_app(gr, session, args.profile, args.attention)
    # Gradio serves only files under allowed paths: Wan2GP's videos are in output_dir.
    app.queue(max_size=args.max_queue).launch(
        server_name=args.host, server_port=args.port, allowed_paths=[str(output_dir)],
        show_error=True, show_api=True)


if __name__ == "__main__":
    main()
