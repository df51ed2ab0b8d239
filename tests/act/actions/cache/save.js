// Save (post step): unless the key was an exact hit, tar the paths into the store, atomically.
const fs = require("fs");
const { input, lines, store, file, relative, createTar } = require("./common.js");

const key = process.env.STATE_key;
if (process.env.STATE_matched === key) {
  console.log(`Cache hit occurred on the primary key ${key}, not saving cache.`);
} else {
  fs.mkdirSync(store(), { recursive: true });
  const partial = `${file(key)}.${process.pid}`;
  createTar(partial, lines(input("path")).map(relative));
  fs.renameSync(partial, file(key));
  console.log(`Cache saved with key: ${key}`);
}
