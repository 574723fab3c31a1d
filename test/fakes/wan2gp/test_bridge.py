"""The Wan2GP side of gpu-agent/backends/wan2gp/wan2gp_bridge.py, under plain python3 with the
fake Wan2GP package beside this file (no Gradio: it cannot be installed here). The Gradio side,
build_app(), is checked against a stand-in `gr` that records what it is given: the wiring, not
Gradio itself.

    python3 test/fakes/wan2gp/test_bridge.py -v
"""

import asyncio
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import types
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
BRIDGE = HERE.parents[2] / "gpu-agent" / "backends" / "wan2gp" / "wan2gp_bridge.py"


def load_bridge():
    spec = importlib.util.spec_from_file_location("wan2gp_bridge", BRIDGE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bridge = load_bridge()
SHOT = {"model_type": "t2v_1.3B", "prompt": "a lighthouse at dusk", "negative_prompt": "",
        "resolution": "832x480", "video_length": 17, "num_inference_steps": 5,
        "guidance_scale": 6, "seed": 7, "force_fps": "16", "repeat_generation": 1}


class Session:
    """One fake Wan2GP installation (a temp copy) and a session opened as the bridge opens it."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="md-bridge-wan2gp-")
        shutil.copytree(HERE, self.dir, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("*.ts", "__pycache__", "test_*.py"))
        self.out = os.path.join(self.dir, "bridge_out")
        self.cwd = os.getcwd()
        self.session = bridge.open_session(self.dir, "4", "sdpa", self.out)

    def close(self):
        os.chdir(self.cwd)
        sys.path.remove(str(Path(self.dir).resolve()))
        for name in [m for m in sys.modules if m == "shared" or m.startswith("shared.")]:
            del sys.modules[name]
        shutil.rmtree(self.dir)


def run(session, settings, reports=None):
    def report(*seen):
        if reports is not None:
            reports.append(seen)
    return asyncio.run(bridge.run_job(session, settings, report, poll_seconds=0.02))


class ParseSettings(unittest.TestCase):
    def test_known_keys_pass_and_the_upload_becomes_the_start_image(self):
        settings = bridge.parse_settings(json.dumps(SHOT), "/tmp/gradio/abc/start.png")
        self.assertEqual(settings["image_start"], "/tmp/gradio/abc/start.png")
        self.assertEqual(settings["image_prompt_type"], "S")
        self.assertEqual(settings["prompt"], "a lighthouse at dusk")

    def test_paths_and_unknown_settings_are_refused(self):
        for key, value in [("image_start", "/etc/passwd"), ("video_guide", "/x.mp4"),
                           ("output_filename", "../../x")]:
            with self.assertRaisesRegex(bridge.BridgeError, f"setting '{key}' is not accepted"):
                bridge.parse_settings(json.dumps({**SHOT, key: value}), None)

    def test_wrong_types_and_garbage_are_refused(self):
        with self.assertRaisesRegex(bridge.BridgeError, "'seed' has the wrong type"):
            bridge.parse_settings(json.dumps({**SHOT, "seed": "7; rm -rf /"}), None)
        with self.assertRaisesRegex(bridge.BridgeError, "'video_length' has the wrong type"):
            bridge.parse_settings(json.dumps({**SHOT, "video_length": True}), None)
        with self.assertRaisesRegex(bridge.BridgeError, "settings is not JSON"):
            bridge.parse_settings("{", None)
        with self.assertRaisesRegex(bridge.BridgeError, "must be a JSON object"):
            bridge.parse_settings("[1]", None)
        with self.assertRaisesRegex(bridge.BridgeError, "none was sent"):
            bridge.parse_settings(json.dumps({**SHOT, "image_prompt_type": "S"}), None)


class RunJob(unittest.TestCase):
    def setUp(self):
        self.wan2gp = Session()
        self.session = self.wan2gp.session

    def tearDown(self):
        self.wan2gp.close()

    def test_a_job_reports_its_steps_and_returns_its_video(self):
        reports = []
        path = run(self.session, dict(SHOT), reports)
        self.assertTrue(path.endswith(".mp4") and os.path.getsize(path) > 0)
        self.assertTrue(path.startswith(self.wan2gp.out))
        steps = [(step, steps) for (_, step, steps, _) in reports if step is not None]
        self.assertEqual(steps, [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)])
        self.assertIn("Loading model t2v_1.3B", [text for (*_, text) in reports])
        self.assertEqual(self.session.cli_args, ["--profile", "4", "--attention", "sdpa"])

    def test_the_model_stays_loaded_between_jobs(self):
        run(self.session, dict(SHOT))
        run(self.session, {**SHOT, "prompt": "the same lighthouse, at night"})
        self.assertEqual(self.session.loads, 1)
        run(self.session, {**SHOT, "model_type": "ti2v_2_2"})
        self.assertEqual(self.session.loads, 2)

    def test_wan2gp_errors_come_back_with_its_message(self):
        with self.assertRaisesRegex(bridge.BridgeError, "CUDA out of memory"):
            run(self.session, {**SHOT, "prompt": "storm [fake:fail]"})
        with self.assertRaisesRegex(bridge.BridgeError, "Prompt cannot be empty"):
            run(self.session, {**SHOT, "prompt": " "})

    def test_cancelling_the_task_cancels_the_wan2gp_job(self):
        async def scenario():
            seen = []
            task = asyncio.ensure_future(bridge.run_job(
                self.session, {**SHOT, "prompt": "slow [fake:slow]", "num_inference_steps": 40},
                lambda *s: seen.append(s), poll_seconds=0.02))
            while not any(s[1] for s in seen):
                await asyncio.sleep(0.02)
            task.cancel()  # what gradio's /cancel does to the running event
            with self.assertRaises(asyncio.CancelledError):
                await task
            return seen
        asyncio.run(scenario())
        [job] = self.session.jobs
        self.assertTrue(job.cancel_requested, "run_job called job.cancel()")
        # Wan2GP notices at its next step and ends the job as cancelled, with no video.
        result = job.result(timeout=5)
        self.assertTrue(result.cancelled)
        self.assertEqual(result.generated_files, [])


class GradioWiring(unittest.TestCase):
    """build_app() against a stand-in for the few Gradio names it uses."""

    def test_one_interface_with_the_named_endpoint_and_progress(self):
        recorded = {}

        class Error(Exception):
            pass

        class Progress:
            calls = []

            def __call__(self, progress, desc=None):
                Progress.calls.append((progress, desc))

        def component(kind):
            return lambda **kwargs: (kind, kwargs)

        gr = types.SimpleNamespace(
            Error=Error, Progress=Progress, Textbox=component("textbox"), File=component("file"),
            Interface=lambda **kwargs: recorded.update(kwargs) or "app")

        class FakeSession:
            def submit_task(self, settings):
                raise AssertionError("not reached: the settings are refused first")

        self.assertEqual(bridge.build_app(gr, FakeSession(), "4", "sdpa"), "app")
        self.assertEqual(recorded["api_name"], "generate")
        self.assertEqual(recorded["title"], "Wan2GP bridge · profile 4 · sdpa")
        self.assertEqual(recorded["inputs"], [("textbox", {"label": "settings"}),
                                              ("file", {"label": "start image", "type": "filepath"})])
        self.assertEqual(recorded["outputs"], ("file", {"label": "video"}))
        self.assertEqual(recorded["concurrency_limit"], 1)
        fn = recorded["fn"]
        self.assertTrue(asyncio.iscoroutinefunction(fn))
        with self.assertRaisesRegex(Error, "setting 'image_start' is not accepted"):
            asyncio.run(fn(json.dumps({**SHOT, "image_start": "/etc/passwd"}), None, Progress()))


if __name__ == "__main__":
    unittest.main()
