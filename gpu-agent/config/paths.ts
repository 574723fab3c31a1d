/** Where the agent keeps its credentials and its job files, following each OS's conventions. */

export type Env = Record<string, string | undefined>;

/** $MD_CONFIG_DIR, else $XDG_CONFIG_HOME/movie-director, else ~/.config/movie-director (%APPDATA% on Windows). */
export function defaultConfigDir(env: Env, os: typeof Deno.build.os = Deno.build.os): string {
  if (os === "windows" && env.APPDATA) return `${env.APPDATA}\\movie-director`;
  if (env.XDG_CONFIG_HOME) return `${env.XDG_CONFIG_HOME}/movie-director`;
  return `${_home(env)}/.config/movie-director`;
}

/** $XDG_CACHE_HOME/movie-director/work, else ~/.cache/movie-director/work (%LOCALAPPDATA% on Windows). */
export function defaultWorkDir(env: Env, os: typeof Deno.build.os = Deno.build.os): string {
  if (os === "windows" && env.LOCALAPPDATA) return `${env.LOCALAPPDATA}\\movie-director\\work`;
  if (env.XDG_CACHE_HOME) return `${env.XDG_CACHE_HOME}/movie-director/work`;
  return `${_home(env)}/.cache/movie-director/work`;
}

function _home(env: Env): string {
  const home = env.HOME ?? env.USERPROFILE;
  if (!home) throw new Error("HOME is not set: set MD_CONFIG_DIR and MD_WORK_DIR");
  return home;
}
