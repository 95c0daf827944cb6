// What the browser tests that make many checks share: each check is printed as it is made
// ("ok: ..." or "FAIL: ..."), and at the end the run fails if any did.

let failures = 0;

export function check(ok, message) {
  if (ok) {
    console.log(`ok: ${message}`);
  } else {
    console.error(`FAIL: ${message}`);
    failures += 1;
  }
}

// Ends the run: exit code 1 after a failed check, else a last line saying all passed.
export function finish(name) {
  if (failures > 0) {
    console.error(`${failures} check(s) failed`);
    process.exit(1);
  }
  console.log(`${name}: all checks passed`);
}
