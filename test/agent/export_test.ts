/**
 * `deno task agent -- export --project ID DIR` against a real edge, with the real git and
 * git-lfs: the repository's commits, authors, dates, tree, file bytes and LFS pointers; a second
 * run adds only what is new; folders it must not touch are refused.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { call } from "../../edge/testing.ts";
import { characterWithImage, exportProjectFixture, git, PNG, runExport } from "./export_fixture.ts";

const hasGitLfs = (await new Deno.Command("git", { args: ["lfs", "version"] }).output()
  .catch(() => null))?.success ?? false;

const LFS_POINTER =
  /^version https:\/\/git-lfs\.github\.com\/spec\/v1\noid sha256:([0-9a-f]{64})\nsize (\d+)\n$/;

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function tempDir(prefix: string): Promise<string> {
  return await Deno.makeTempDir({ prefix });
}

Deno.test({
  name:
    "export writes one commit per revision with its authors and dates, then assets and takes as LFS files; a rerun adds only what is new",
  ignore: !hasGitLfs,
  async fn() {
    await using p = await exportProjectFixture();
    const home = await tempDir("md-export-home-");
    const dir = `${home}/night-ferry`;
    try {
      const r1 = await p.revise("a ferry at night", [p.ada]);
      const r2 = await p.revise("a ferry at night, fog", [p.bob]);
      const r3 = await p.revise("a ferry at night, fog, lanterns", [p.ada, p.bob], { cut: true });
      await characterWithImage(p, "Captain Mara", "Weathered captain, red scarf.");
      const take1 = new TextEncoder().encode("first take bytes");
      const take2 = new TextEncoder().encode("second take, other bytes");
      const take1Path = (await p.take(take1)).path;
      const take2Path = (await p.take(take2)).path;

      const first = await runExport(p, dir, { home });
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /3 new graph revisions, assets, renders and cuts updated/);
      assert.doesNotMatch(first.out, /cuts skipped/);

      const log = await git(dir, home, "log", "--reverse", "--format=%an|%ae|%at|%cn|%s%n%b%x00");
      const commits = log.split("\0").map((c) => c.trim()).filter(Boolean);
      assert.equal(commits.length, 4, log);
      const revisionRows = (await call(p.edge.t, "GET", `/api/projects/${p.projectId}/revisions`, {
        token: p.ada.token,
      })).body.revisions.reverse();
      assert.deepEqual(revisionRows.map((r: { revision: number }) => r.revision), [r1, r2, r3]);
      const authorsAndDates = commits.slice(0, 3).map((c) => c.split("|").slice(0, 4).join("|"));
      assert.deepEqual(authorsAndDates, [
        `Ada|${p.ada.email}|${Math.floor(revisionRows[0].createdAt / 1000)}|Ada`,
        `Bob|${p.bob.email}|${Math.floor(revisionRows[1].createdAt / 1000)}|Ada`,
        `Ada|${p.ada.email}|${Math.floor(revisionRows[2].createdAt / 1000)}|Ada`,
      ]);
      assert.match(commits[2]!, new RegExp(`Co-authored-by: Bob <${p.bob.email}>`));
      assert.match(commits[3]!, /^Ada\|.*\|Assets, renders and cuts of Night Ferry as of /);

      // The tree is the production folder convention.
      const character = "assets/characters/Captain Mara/v2";
      const firstVersion = "assets/characters/Captain Mara/v1";
      const tree = (await git(dir, home, "ls-tree", "-r", "--name-only", "HEAD")).trim().split(
        "\n",
      );
      assert.deepEqual(
        tree.sort(),
        [
          ".gitattributes",
          ".movie-director.json",
          ".movie-director-blobs.json",
          `${firstVersion}/description.txt`,
          `${firstVersion}/params.json`,
          `${character}/description.txt`,
          `${character}/params.json`,
          `${character}/reference_01.png`,
          "cuts/Main cut/Main cut.edl",
          "cuts/Main cut/Main cut.otio",
          "graph.json",
          take1Path,
          take2Path,
        ].sort(),
      );
      assert.match(take1Path, /^renders\/[^/]+\/[^/]+\/v01\/[^/]+_v01_take01\.mp4$/);

      // The files hold what the studio holds; the first commit holds the first graph.
      const graphAt = async (rev: string) =>
        JSON.parse(await git(dir, home, "show", `${rev}:graph.json`)).nodes.shot1.params.prompt;
      assert.equal(await graphAt("HEAD~3"), "a ferry at night");
      assert.equal(await graphAt("HEAD~2"), "a ferry at night, fog");
      assert.equal(await graphAt("HEAD"), "a ferry at night, fog, lanterns");
      assert.equal(
        await Deno.readTextFile(`${dir}/${character}/description.txt`),
        "Weathered captain, red scarf.\n",
      );
      assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/${character}/params.json`)), {
        age: 36,
      });
      assert.deepEqual(await Deno.readFile(`${dir}/${character}/reference_01.png`), PNG);
      assert.deepEqual(await Deno.readFile(`${dir}/${take1Path}`), take1);
      assert.deepEqual(await Deno.readFile(`${dir}/${take2Path}`), take2);
      // The cut's OTIO points at the take in this export, by its path (the newest take is the
      // shot's selected one).
      const otio = JSON.parse(await Deno.readTextFile(`${dir}/cuts/Main cut/Main cut.otio`));
      const clip = otio.tracks.children[0].children[0];
      assert.equal(clip.media_references[clip.active_media_reference_key].target_url, take2Path);
      assert.match(
        await Deno.readTextFile(`${dir}/cuts/Main cut/Main cut.edl`),
        /^TITLE: Main cut/,
      );

      // Media are LFS pointers in Git, text is plain.
      for (
        const [path, bytes] of [[take1Path, take1], [`${character}/reference_01.png`, PNG]] as const
      ) {
        const blob = await git(dir, home, "cat-file", "-p", `HEAD:${path}`);
        const pointer = blob.match(LFS_POINTER);
        assert.ok(pointer, `${path} is committed as a plain blob:\n${blob.slice(0, 80)}`);
        assert.equal(pointer[1], sha256(bytes));
        assert.equal(Number(pointer[2]), bytes.byteLength);
      }
      assert.match(
        await git(dir, home, "cat-file", "-p", `HEAD:${character}/description.txt`),
        /Weathered/,
      );
      assert.match(
        await git(dir, home, "show", "HEAD:.gitattributes"),
        /^\*\.mp4 filter=lfs diff=lfs merge=lfs -text$/m,
      );

      // Nothing new: no commit.
      const head = (await git(dir, home, "rev-parse", "HEAD")).trim();
      const again = await runExport(p, dir, { home });
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /0 new graph revisions, files unchanged/);
      assert.equal((await git(dir, home, "rev-parse", "HEAD")).trim(), head);

      // A new revision by Bob and a third take: two commits on top of the old history.
      await p.revise("a ferry at dawn", [p.bob]);
      const take3Path = (await p.take(new TextEncoder().encode("third"))).path;
      const third = await runExport(p, dir, { home });
      assert.equal(third.code, 0, third.err);
      assert.match(third.out, /1 new graph revision, assets, renders and cuts updated/);
      assert.equal((await git(dir, home, "rev-parse", "HEAD~2")).trim(), head);
      assert.equal((await git(dir, home, "log", "-1", "--format=%an", "HEAD~1")).trim(), "Bob");
      assert.equal(await graphAt("HEAD"), "a ferry at dawn");
      assert.equal(await Deno.readTextFile(`${dir}/${take3Path}`), "third");
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "export writes every asset version, and a rerun downloads no reference image the repository already holds",
  ignore: !hasGitLfs,
  async fn() {
    await using p = await exportProjectFixture();
    const home = await tempDir("md-export-home-");
    const dir = `${home}/export`;
    try {
      await p.revise("a ferry at night", [p.ada]);
      const mara = await characterWithImage(p, "Captain Mara", "Weathered captain.");
      const first = await runExport(p, dir, { home });
      assert.equal(first.code, 0, first.err);
      // The studio no longer serves the image (a lost object, or an expired link): a rerun that
      // downloaded it again would fail.
      await Deno.remove(mara.imageFile);
      const renamed = await call(
        p.edge.t,
        "PATCH",
        `/api/projects/${p.projectId}/assets/${mara.assetId}`,
        { token: p.ada.token, body: { description: "Weathered captain, red scarf." } },
      );
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      const again = await runExport(p, dir, { home });
      assert.equal(again.code, 0, again.err);
      const folder = "assets/characters/Captain Mara";
      for (const version of ["v2", "v3"]) {
        assert.deepEqual(await Deno.readFile(`${dir}/${folder}/${version}/reference_01.png`), PNG);
      }
      const described = async (version: string) =>
        await Deno.readTextFile(`${dir}/${folder}/${version}/description.txt`);
      assert.equal(await described("v1"), "Weathered captain.\n");
      assert.equal(await described("v3"), "Weathered captain, red scarf.\n");
      assert.deepEqual(
        (await git(dir, home, "ls-tree", "-r", "--name-only", "HEAD", folder)).trim().split("\n"),
        [1, 2, 3].flatMap((v) => [
          `${folder}/v${v}/description.txt`,
          `${folder}/v${v}/params.json`,
          ...(v > 1 ? [`${folder}/v${v}/reference_01.png`] : []),
        ]),
      );

      // Renamed: its folder moves; the images are taken from the old one, not fetched again
      // (the studio still cannot serve them).
      const named = await call(
        p.edge.t,
        "PATCH",
        `/api/projects/${p.projectId}/assets/${mara.assetId}`,
        { token: p.ada.token, body: { name: "Mara" } },
      );
      assert.equal(named.status, 200, JSON.stringify(named.body));
      const moved = await runExport(p, dir, { home });
      assert.equal(moved.code, 0, moved.err);
      for (const version of ["v2", "v3", "v4"]) {
        const image = `${dir}/assets/characters/Mara/${version}/reference_01.png`;
        assert.deepEqual(await Deno.readFile(image), PNG);
      }
      const left = await git(dir, home, "ls-tree", "-r", "--name-only", "HEAD", folder);
      assert.equal(left.trim(), "", "nothing is left under the old name");
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "export refuses to overwrite uncommitted changes, a folder that is not its repository, and an unknown project",
  ignore: !hasGitLfs,
  async fn() {
    await using p = await exportProjectFixture();
    const home = await tempDir("md-export-home-");
    try {
      await p.revise("a ferry at night", [p.ada]);
      const dir = `${home}/export`;
      const made = await runExport(p, dir, { home });
      assert.equal(made.code, 0, made.err);

      // A user's edit is never overwritten; nothing is committed.
      await Deno.writeTextFile(`${dir}/graph.json`, "my own notes\n");
      await p.revise("a ferry at dawn", [p.bob]);
      const dirty = await runExport(p, dir, { home });
      assert.equal(dirty.code, 2);
      assert.match(
        dirty.err,
        /has uncommitted changes the export would overwrite:\n\s+M graph\.json/,
      );
      assert.match(dirty.err, /fix: commit them .* or set them aside \(git stash -u\)/);
      assert.equal(await Deno.readTextFile(`${dir}/graph.json`), "my own notes\n");
      assert.equal((await git(dir, home, "rev-list", "--count", "HEAD")).trim(), "1");

      const notRepo = `${home}/notes`;
      await Deno.mkdir(notRepo);
      await Deno.writeTextFile(`${notRepo}/todo.txt`, "keep me");
      const refused = await runExport(p, notRepo, { home });
      assert.equal(refused.code, 2);
      assert.match(refused.err, /is not empty and is not a Git repository an export made/);
      assert.match(refused.err, /fix: export into a new or empty folder/);
      assert.deepEqual([...Deno.readDirSync(notRepo)].map((e) => e.name), ["todo.txt"]);

      const unknown = await runExport(p, `${home}/unknown`, {
        home,
        project: crypto.randomUUID(),
      });
      assert.equal(unknown.code, 2);
      assert.match(unknown.err, /no project .* that .* is a member of/);
      assert.match(unknown.err, /fix: check the id/);
      await assert.rejects(Deno.stat(`${home}/unknown`), Deno.errors.NotFound);

      const notAnId = await runExport(p, `${home}/unknown`, { home, project: "night-ferry" });
      assert.equal(notAnId.code, 2);
      assert.match(notAnId.err, /--project must be a project id/);

      const stranger = await runExport(p, `${home}/stranger`, { home, token: "not-a-session" });
      assert.equal(stranger.code, 3);
      assert.match(stranger.err, /did not accept your token\nfix: set MD_TOKEN/);

      const wrongPassword = await runExport(p, `${home}/stranger`, {
        home,
        env: { MD_EMAIL: p.bob.email, MD_PASSWORD: "not his password" },
      });
      assert.equal(wrongPassword.code, 3);
      assert.match(
        wrongPassword.err,
        /signing in as .* failed: .*\nfix: check MD_EMAIL and MD_PASSWORD/,
      );
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test("export without git-lfs still writes .gitattributes and says media went in as plain blobs; without git it says how to install it", async () => {
  await using p = await exportProjectFixture();
  const home = await tempDir("md-export-home-");
  try {
    await p.revise("a ferry at night", [p.ada]);
    const takePath = (await p.take(new TextEncoder().encode("take bytes"))).path;
    // A PATH with git and nothing else: no git-lfs.
    const bin = `${home}/bin`;
    await Deno.mkdir(bin);
    await Deno.symlink(await gitPath(), `${bin}/git`);
    const dir = `${home}/export`;
    // Signed in with an email and password this time, as the studio's page signs in.
    // The system's Git settings may still name git-lfs's filter (required): the export must
    // not run it.
    const run = await runExport(p, dir, {
      home,
      path: bin,
      systemConfig: true,
      env: { MD_EMAIL: p.bob.email, MD_PASSWORD: "correct horse battery" },
    });
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /git-lfs is not installed: .* committed as plain Git blobs/);
    assert.match(run.out, /fix: install Git LFS \(apt-get install git-lfs/);
    assert.match(await git(dir, home, "log", "-1", "--format=%cn"), /^Bob$/m);
    assert.match(await git(dir, home, "show", "HEAD:.gitattributes"), /^\*\.mp4 filter=lfs/m);
    // A plain blob: the bytes themselves, no pointer.
    assert.equal(await git(dir, home, "cat-file", "-p", `HEAD:${takePath}`), "take bytes");

    const noGit = await runExport(p, `${home}/other`, { home, path: `${home}/empty-bin` });
    assert.equal(noGit.code, 1);
    assert.match(noGit.err, /git is not installed/);
    assert.match(noGit.err, /fix: install Git: apt-get install git/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

async function gitPath(): Promise<string> {
  for (const folder of (Deno.env.get("PATH") ?? "").split(":")) {
    const path = `${folder}/git`;
    if (await Deno.stat(path).then((s) => s.isFile, () => false)) return path;
  }
  throw new Error("git is not on the PATH");
}

Deno.test({
  name:
    "an export that fails halfway leaves the folder at its last commit, so the next run is not refused",
  ignore: !hasGitLfs,
  async fn() {
    await using p = await exportProjectFixture();
    const home = await tempDir("md-export-home-");
    const dir = `${home}/export`;
    try {
      await p.revise("a ferry at night", [p.ada]);
      const made = await runExport(p, dir, { home });
      assert.equal(made.code, 0, made.err);
      await p.revise("a ferry at dawn", [p.bob]);
      await characterWithImage(p, "Captain Mara", "Weathered captain.");
      // The studio lost a take's file: its download fails after the revision was committed.
      const lost = await p.take(new TextEncoder().encode("lost"));
      await Deno.remove(lost.blobFile);
      for (let run = 0; run < 2; run++) {
        const failed = await runExport(p, dir, { home });
        assert.equal(failed.code, 1);
        assert.match(failed.err, /downloading .*SHOT-010_v01_take01\.mp4 failed: 404/);
        assert.equal(await git(dir, home, "status", "--porcelain", "--untracked-files=all"), "");
      }
      await assert.rejects(Deno.stat(`${dir}/assets`), Deno.errors.NotFound);
      assert.equal((await git(dir, home, "log", "-1", "--format=%an")).trim(), "Bob");
      assert.equal(
        JSON.parse(await Deno.readTextFile(`${dir}/graph.json`)).nodes.shot1.params.prompt,
        "a ferry at dawn",
      );
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});
