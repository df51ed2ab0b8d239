// Restore: an exact key, else the newest entry whose key starts with a restore key.
const fs = require("fs");
const { input, lines, store, file, append, extractTar } = require("./common.js");

const key = input("key");
let matched = fs.existsSync(file(key)) ? key : "";
if (!matched) {
  const entries = fs.existsSync(store()) ? fs.readdirSync(store()) : [];
  const keys = entries.filter((n) => n.endsWith(".tar")).map((n) => decodeURIComponent(n.slice(0, -4)));
  for (const prefix of lines(input("restore-keys"))) {
    const found = keys.filter((k) => k.startsWith(prefix));
    found.sort((a, b) => fs.statSync(file(b)).mtimeMs - fs.statSync(file(a)).mtimeMs);
    if (found.length) { matched = found[0]; break; }
  }
}
if (matched) {
  extractTar(file(matched));
  console.log(`Cache restored from key: ${matched}`);
} else {
  console.log(`Cache not found for input keys: ${key}`);
}
append("GITHUB_OUTPUT", `cache-hit=${matched === key}`);
append("GITHUB_STATE", `key=${key}`);
append("GITHUB_STATE", `matched=${matched}`);
