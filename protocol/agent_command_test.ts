import assert from "node:assert/strict";
import { enrollCommands, shellQuote } from "./agent_command.ts";

Deno.test("the enrollment command needs only Node.js and names this studio, the token and the agent", () => {
  const c = enrollCommands("http://127.0.0.1:8787/", "tok_abc-123", "render-01");
  assert.equal(
    c.enroll,
    "npx -y deno@2.9.6 task agent -- enroll --server http://127.0.0.1:8787 --token tok_abc-123 --name render-01",
  );
  assert.equal(
    c.enrollWithDeno,
    "deno task agent enroll --server http://127.0.0.1:8787 --token tok_abc-123 --name render-01",
  );
  assert.equal(c.run, "npx -y deno@2.9.6 task agent -- run");
});

Deno.test("a name with spaces or quotes survives the shell; an empty name is left out", () => {
  assert.equal(shellQuote("Ana's box"), `'Ana'"'"'s box'`);
  assert.equal(
    enrollCommands("https://studio.example", "t", "  ").enroll.endsWith("--token t"),
    true,
  );
  assert.match(enrollCommands("https://s", "t", "big rig").enroll, /--name 'big rig'$/);
});
