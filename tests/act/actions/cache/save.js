// Save (post step): unless the key was an exact hit, tar the paths into the store, atomically.
const fs = require("fs");
const { execFileSync } = require("child_process");
const { input, lines, store, file, workspace, relative } = require("./common.js");

const key = process.env.STATE_key;
if (process.env.STATE_matched === key) {
  console.log(`Cache hit occurred on the primary key ${key}, not saving cache.`);
} else {
  fs.mkdirSync(store(), { recursive: true });
  const partial = `${file(key)}.${process.pid}`;
  execFileSync("tar", ["-cf", partial, "-C", workspace(), ...lines(input("path")).map(relative)]);
  fs.renameSync(partial, file(key));
  console.log(`Cache saved with key: ${key}`);
}
