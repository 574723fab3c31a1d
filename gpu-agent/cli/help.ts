/**
 * Where the studio makes enrollment tokens, step by step as its screens name them: the top bar's
 * link, the panel, the button. test/e2e/agents_page_test.ts follows these names in the studio.
 */
export const TOKEN_SCREENS = ["Agents", "Add a GPU machine", "Create enrollment token"] as const;

/** The fix for every "no credentials / token refused" error. */
export const MAKE_A_TOKEN = `create a token in the studio (${
  TOKEN_SCREENS.join(" → ")
}) and run the enroll command it shows`;

/** The text of `--help`. */
export const HELP = `Movie Director GPU agent

Usage: deno run -A gpu-agent/main.ts <command> [flags]
   or, with only Node.js and npm: npx -y deno@2.9.6 task agent -- <command> [flags]
   (either from a checkout of the studio's repository)

Commands
  enroll --server URL --token TOKEN [--name NAME]
                 register this machine with a studio (token from its Agents page)
  run            claim and run jobs until stopped (Ctrl-C drains, twice interrupts)
  doctor         show GPUs, backends, what would be advertised, and problems with fixes
  export --project ID DIR
                 write a project into DIR as a Git repository: one commit per graph
                 revision, then its assets, renders and cuts (media in Git LFS); run it
                 again to add what is new. Signs in with MD_TOKEN (your session token),
                 or MD_EMAIL and MD_PASSWORD
  models [--dry-run ID [--params JSON]]
                 list the Docker model configs; with --dry-run, the container a job makes

Flags (each also an environment variable)
  --server URL        MD_SERVER_URL   the studio's edge (saved at enroll)
  --comfyui URL       MD_COMFYUI_URL  ComfyUI (default http://127.0.0.1:8188)
  --vram MIB          MD_VRAM_MIB     VRAM in MiB, when detection cannot read it
  --concurrency N     MD_CONCURRENCY  jobs at once (default 1)
  --work-dir PATH     MD_WORK_DIR     job files (default ~/.cache/movie-director/work)
  --config-dir PATH   MD_CONFIG_DIR   credentials (default ~/.config/movie-director)
  --templates DIR     MD_TEMPLATES_DIR  your ComfyUI and Gradio templates
                                        (default <config-dir>/templates)
  --wan2gp PATH       MD_WAN2GP_DIR   the folder you cloned Wan2GP into (runs shots on it)
  --wan2gp-python PATH  MD_WAN2GP_PYTHON  its python (default its venv's, else python3)
  --wan2gp-bridge URL MD_WAN2GP_BRIDGE  the Wan2GP bridge (default http://127.0.0.1:7899)
  --wan2gp-attention MODE  MD_WAN2GP_ATTENTION  sdpa (default), sage, sage2 or flash
  --models DIR        MD_MODELS_DIR   your Docker model configs (default <config-dir>/models)
  --docker-pull       MD_DOCKER_PULL=1  pull a model's missing image when a job needs it
  --help, -h          this text

Exit codes: 0 ok, 1 failure, 2 usage error, 3 not enrolled or credentials rejected,
4 edge unreachable, 130 interrupted.
`;
