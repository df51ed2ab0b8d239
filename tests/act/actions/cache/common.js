// Shared by restore.js and save.js: inputs, the store and the tar paths.
const fs = require("fs");
const path = require("path");

const input = (name) => (process.env[`INPUT_${name.toUpperCase()}`] || "").trim();
const lines = (text) => text.split("\n").map((l) => l.trim()).filter(Boolean);
const store = () => process.env.ACT_CACHE_STORE;
const file = (key) => path.join(store(), `${encodeURIComponent(key)}.tar`);
const workspace = () => process.env.GITHUB_WORKSPACE;
const relative = (p) => path.relative(workspace(), path.resolve(workspace(), p));
const append = (variable, text) => fs.appendFileSync(process.env[variable], `${text}\n`);

module.exports = { input, lines, store, file, workspace, relative, append };
