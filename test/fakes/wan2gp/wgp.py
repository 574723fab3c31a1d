"""A stand-in for Wan2GP's `wgp.py` in headless mode (`--process`), for tests: the arguments of
shared/cli_args.py that the agent uses, and the console output and exit codes of wgp.py's
`process_tasks_cli` (docs/CLI.md): `[Task n/N]`, `\\r  [step/total] <phase>` status lines,
`[ERROR] ...`, `[SKIP] Task n failed validation: ...`, `Queue completed: c/N tasks in ...`;
exit 0 (all done, or every task skipped, as wgp.py does), 1 (error), 130 (Ctrl-C).
Each call is logged to calls.jsonl beside this file (argv, cwd, the settings it read).
"""

import argparse
import json
import os
import sys
import time

from shared import fake_render

ROOT = os.path.dirname(os.path.abspath(__file__))
# As wgp.py declares it near its top (the agent reads it for `doctor`).
WanGP_version = "12.60"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--process", type=str, default="")
    parser.add_argument("--output-dir", type=str, default="")
    parser.add_argument("--profile", type=str, default=-1)
    parser.add_argument("--attention", type=str, default="")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--verbose", type=int, default=1)
    args = parser.parse_args()
    if not args.process:
        print("the fake wgp.py only runs with --process")
        sys.exit(2)
    if not os.path.isfile(args.process):
        print(f"[ERROR] File not found: {args.process}")
        sys.exit(1)
    print(f"WanGP CLI Mode - Processing settings: {args.process}")
    output_dir = args.output_dir or os.path.join(ROOT, "outputs")
    if args.output_dir:
        print(f"Output directory: {args.output_dir}")
    try:
        with open(args.process, encoding="utf-8") as f:
            settings = json.load(f)
    except json.JSONDecodeError as e:
        print(f"[ERROR] Invalid JSON: {e}")
        sys.exit(1)
    fake_render.log_call(ROOT, {"argv": sys.argv, "cwd": os.getcwd(), "settings": settings})
    tasks = settings if isinstance(settings, list) else [settings]
    print(f"Loaded {len(tasks)} task(s)")
    try:
        sys.exit(0 if process_tasks(tasks, output_dir) else 1)
    except KeyboardInterrupt:
        print("\n\nAborted by user")
        sys.exit(130)


def process_tasks(tasks, output_dir):
    started = time.time()
    completed = skipped = 0
    for index, task in enumerate(tasks, 1):
        print(f"\n[Task {index}/{len(tasks)}] {str(task.get('prompt', ''))[:60]}...")
        try:
            fake_render.validate(task, ROOT)
        except fake_render.ValidationFailed as e:
            if str(e) == "No model_type specified":
                print("  [SKIP] No model_type specified")
            print(f"  [SKIP] Task {index} failed validation: {e}")
            skipped += 1
            continue
        print(f"Loading Model '{task['model_type']}' ...")

        def report(kind, data):
            if kind == "step":
                step, total, phase = data
                print(f"\r  [{step}/{total}] Prompt 1/1 - {phase}", end="", flush=True)
            else:
                print(f"\r  {data}", end="", flush=True)

        try:
            path = fake_render.render(task, ROOT, output_dir, report)
        except RuntimeError as e:
            print(f"\n  [ERROR] {e}")
            continue
        print(f"\nNew video saved to Path: {path}")
        completed += 1
        print(f"\n  Task {index} completed")
    print(f"\n{'=' * 50}")
    summary = f"Queue completed: {completed}/{len(tasks)} tasks in {int(time.time() - started)}s"
    if skipped:
        summary += f" ({skipped} skipped)"
    print(summary)
    return completed == len(tasks) - skipped


if __name__ == "__main__":
    main()
