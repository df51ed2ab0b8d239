// Shared by restore.js and save.js: inputs, the store and the tar calls.
// The archive is made as actions/cache makes it (@actions/cache, internal/tar.ts): paths relative to the
// workspace kept as they are with -P, so a path outside it (../tmp/x) is restored there and not under
// the workspace; compressed with zstd when the machine has it (actions/cache falls back to gzip).
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const input = (name) => (process.env[`INPUT_${name.toUpperCase()}`] || "").trim();
const lines = (text) => text.split("\n").map((l) => l.trim()).filter(Boolean);
const store = () => process.env.ACT_CACHE_STORE;
const file = (key) => path.join(store(), `${encodeURIComponent(key)}.tar`);
const workspace = () => process.env.GITHUB_WORKSPACE;
const relative = (p) => path.relative(workspace(), path.resolve(workspace(), p));
const append = (variable, text) => fs.appendFileSync(process.env[variable], `${text}\n`);

const hasZstd = () => {
  try {
    execFileSync("zstd", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const compress = (decompress) =>
  hasZstd() ? ["--use-compress-program", decompress ? "zstd -d --long=30" : "zstd -T0 --long=30"] : ["-z"];
const createTar = (archive, paths) =>
  execFileSync("tar", ["--posix", ...compress(false), "-cf", archive, "-P", "-C", workspace(), ...paths]);
const extractTar = (archive) => execFileSync("tar", [...compress(true), "-xf", archive, "-P", "-C", workspace()]);

module.exports = { input, lines, store, file, workspace, relative, append, createTar, extractTar };
