/** The text of `--help`. */
export const HELP = `Movie Director GPU agent

Usage: deno run -A gpu-agent/main.ts <command> [flags]

Commands
  enroll --server URL --token TOKEN [--name NAME]
                 register this machine with a studio (token from the web app)
  run            claim and run jobs until stopped (Ctrl-C drains, twice interrupts)
  doctor         show GPUs, backends, what would be advertised, and problems with fixes

Flags (each also an environment variable)
  --server URL        MD_SERVER_URL   the studio's edge (saved at enroll)
  --comfyui URL       MD_COMFYUI_URL  ComfyUI (default http://127.0.0.1:8188)
  --vram MIB          MD_VRAM_MIB     VRAM in MiB, when detection cannot read it
  --concurrency N     MD_CONCURRENCY  jobs at once (default 1)
  --work-dir PATH     MD_WORK_DIR     job files (default ~/.cache/movie-director/work)
  --config-dir PATH   MD_CONFIG_DIR   credentials (default ~/.config/movie-director)
  --templates DIR     MD_TEMPLATES_DIR  your ComfyUI templates (default <config-dir>/templates)
  --help, -h          this text

Exit codes: 0 ok, 1 failure, 2 usage error, 3 not enrolled or credentials rejected,
4 edge unreachable, 130 interrupted.
`;
