/**
 * `export --project ID DIR`: the project as a Git repository. Each graph revision the folder
 * does not hold yet becomes one commit of `graph.json`, with the revision's author and date;
 * then one commit, by the person exporting, brings assets, renders and cuts to their current
 * state. Running it again adds only what is new.
 */
import { CliError } from "../cli/cli_error.ts";
import { EXIT } from "../cli/exit_codes.ts";
import type { Env } from "../config/paths.ts";
import { type EdgeReader, edgeReader } from "./edge_reader.ts";
import { MARKER, type Marker, prepareFolder } from "./export_folder.ts";
import { checkGit, Git, hasGitLfs, INSTALL_GIT_LFS } from "./git.ts";
import { GITATTRIBUTES } from "./lfs_attributes.ts";
import { jsonFile, projectFiles } from "./project_files.ts";
import { writeFiles } from "./write_files.ts";

export interface ExportOptions {
  serverUrl: string;
  token: string;
  projectId: string;
  dir: string;
  /** The environment git runs with (its PATH finds git and git-lfs). */
  env: Env;
  say: (line: string) => void;
  fetch?: typeof fetch;
}

interface Person {
  name: string;
  email: string;
}

interface RevisionRow {
  revision: number;
  authorIds: string[];
  message: string;
  summary: string | null;
  createdAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The graph and marker at the repository root; what the snapshot commit manages besides. */
const GRAPH_FILE = "graph.json";

export async function exportProject(options: ExportOptions): Promise<void> {
  const { projectId, say } = options;
  if (!UUID.test(projectId)) {
    throw new CliError(
      `--project must be a project id (a UUID), got "${projectId}"`,
      EXIT.usage,
      "copy the id from the project's address in the studio (/projects/<id>)",
    );
  }
  const edge = edgeReader(options.serverUrl, options.token, options.fetch);
  const me = await exporter(edge);
  const project = await edge.json<{ project: { name: string } }>(`/api/projects/${projectId}`, {
    missingOk: true,
    what: "the project",
  });
  if (!project) {
    throw new CliError(
      `no project ${projectId} that ${me.email} is a member of`,
      EXIT.usage,
      "check the id (the project's address in the studio ends with it) and that an owner invited you",
    );
  }
  const git = new Git(options.dir, options.env);
  await checkGit(git);
  const lfs = await hasGitLfs(git);
  git.lfsPresent = lfs;
  const exported = await prepareFolder(git, projectId);
  if (lfs) await git.run(["lfs", "install", "--local"]);
  else {
    say(
      "git-lfs is not installed: .gitattributes names media for Git LFS, but they are committed as plain Git blobs",
    );
    say(`fix: ${INSTALL_GIT_LFS}`);
  }
  let revisions: RevisionRow[];
  let snapshot: boolean;
  try {
    if (!(await exists(`${options.dir}/.gitattributes`))) {
      await Deno.writeTextFile(`${options.dir}/.gitattributes`, GITATTRIBUTES);
    }
    revisions = await newRevisions(edge, projectId, exported);
    const people = await members(edge, projectId);
    for (const row of revisions) {
      await commitRevision(git, edge, {
        projectId,
        projectName: project.project.name,
        row,
        people,
        me,
      });
    }
    // A project without revisions still gets its marker, so the next export continues this one.
    await writeMarker(git, { projectId, revision: revisions.at(-1)?.revision ?? exported });
    const files = await projectFiles(edge, projectId, say);
    await writeFiles(edge, options.dir, files);
    snapshot = await commitIfChanged(
      git,
      me,
      `Assets, renders and cuts of ${project.project.name} as of ${new Date().toISOString()}`,
    );
  } catch (error) {
    await discardUncommitted(git);
    throw error;
  }
  say(
    `${options.dir}: ${revisions.length} new graph revision${revisions.length === 1 ? "" : "s"}${
      snapshot ? ", assets, renders and cuts updated" : ", files unchanged"
    }`,
  );
}

async function exporter(edge: EdgeReader): Promise<Person> {
  const me = await edge.json<{ user?: Person }>("/api/auth/me");
  if (!me?.user) {
    throw new CliError(
      "a share link's guest session cannot export a project",
      EXIT.notEnrolled,
      "sign in as a member of the project (MD_TOKEN from /api/auth/login, or MD_EMAIL and MD_PASSWORD)",
    );
  }
  return { name: me.user.name, email: me.user.email };
}

/** The revisions after `exported`, oldest first (the edge pages them newest first). */
async function newRevisions(
  edge: EdgeReader,
  projectId: string,
  exported: number,
): Promise<RevisionRow[]> {
  const found: RevisionRow[] = [];
  let before: number | null = null;
  while (true) {
    const page: { revisions: RevisionRow[]; next: number | null } = (await edge.json(
      `/api/projects/${projectId}/revisions?limit=100${before ? `&before=${before}` : ""}`,
    ))!;
    for (const row of page.revisions) {
      if (row.revision <= exported) return found.reverse();
      found.push(row);
    }
    if (page.next === null) return found.reverse();
    before = page.next;
  }
}

/** Members by user id, for authors' emails; former members keep their name, not their email. */
async function members(edge: EdgeReader, projectId: string): Promise<Map<string, Person>> {
  const answer = (await edge.json<{ members: Array<{ userId: string } & Person> }>(
    `/api/projects/${projectId}/members`,
  ))!;
  return new Map(answer.members.map((m) => [m.userId, { name: m.name, email: m.email }]));
}

async function commitRevision(
  git: Git,
  edge: EdgeReader,
  at: {
    projectId: string;
    projectName: string;
    row: RevisionRow;
    people: Map<string, Person>;
    me: Person;
  },
): Promise<void> {
  const { row } = at;
  const authors = row.authorIds.map((id) =>
    at.people.get(id) ?? { name: `former member ${id.slice(0, 8)}`, email: `${id}@users.invalid` }
  );
  const author = authors[0] ?? { name: "Movie Director", email: "studio@movie-director.invalid" };
  const answer = await edge.json<{ graph: unknown }>(
    `/api/projects/${at.projectId}/revisions/${row.revision}`,
    { what: `revision ${row.revision}`, unreadableOk: true },
  );
  // One stored graph that can no longer be read must not stop every later export.
  const graphPath = `${git.dir}/${GRAPH_FILE}`;
  if (answer) await Deno.writeTextFile(graphPath, jsonFile(answer.graph));
  else if (!(await exists(graphPath))) await Deno.writeTextFile(graphPath, jsonFile(null));
  const note = answer
    ? ""
    : `\nThe studio cannot read this revision; ${GRAPH_FILE} is the one before.\n`;
  await writeMarker(git, { projectId: at.projectId, revision: row.revision });
  const subject = firstLine(row.summary ?? (row.message || `Graph revision ${row.revision}`));
  const message = [
    subject,
    "",
    `Graph revision ${row.revision} of ${at.projectName}${
      row.message && row.message !== subject ? ` (${row.message})` : ""
    }.${note}`,
    ...(authors.length > 1
      ? ["", ...authors.slice(1).map((a) => `Co-authored-by: ${a.name} <${a.email}>`)]
      : []),
  ].join("\n");
  await git.run(["add", "--", GRAPH_FILE, MARKER, ".gitattributes"]);
  await commit(git, message, author, at.me, row.createdAt);
}

/** Stages everything (the tree was clean when the export began) and commits if anything changed. */
async function commitIfChanged(git: Git, me: Person, subject: string): Promise<boolean> {
  await git.run(["add", "-A"]);
  const diff = await git.try(["diff", "--cached", "--quiet"]);
  if (diff.code === 0) return false;
  await commit(git, subject, me, me, Date.now());
  return true;
}

function commit(git: Git, message: string, author: Person, committer: Person, at: number) {
  const date = `@${Math.floor(at / 1000)} +0000`;
  return git.try(["commit", "-q", "--allow-empty", "-F", "-"], {
    input: message + "\n",
    env: {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: date,
    },
  }).then((result) => {
    if (result.code !== 0) {
      throw new CliError(`git commit failed: ${result.stderr.trim()}`, EXIT.failure);
    }
  });
}

/**
 * After a failed export, takes the folder back to its last commit: the tree was clean when the
 * export began, so what is uncommitted is the export's own half-written files, and leaving them
 * would make the next run refuse the folder. Revisions committed before the failure stay.
 */
async function discardUncommitted(git: Git): Promise<void> {
  if ((await git.try(["rev-parse", "-q", "--verify", "HEAD"])).code === 0) {
    await git.try(["reset", "-q", "--hard", "HEAD"]);
  } else {
    await git.try(["read-tree", "--empty"]);
  }
  await git.try(["clean", "-fdq"]);
}

function writeMarker(git: Git, marker: Marker): Promise<void> {
  return Deno.writeTextFile(`${git.dir}/${MARKER}`, jsonFile(marker));
}

function firstLine(text: string): string {
  const line = text.split("\n")[0]!.trim();
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
