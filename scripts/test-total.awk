# The closing total of a `cargo test` log (make cargo-test): tests passed, failed and skipped.
# Every suite ends with `test result: ok. P passed; F failed; ...`. A browser test that cannot
# run outside CI passes for cargo but writes `skipped: NAME (reason)`, possibly in the middle of
# another line: each distinct NAME counts as skipped and is taken off the passed. Exits 1 when
# nothing passed.
/^test result:/ { passed += $4; failed += $6 }
{
  line = $0
  while (match(line, /skipped: [^ ]+ \(/)) {
    skipped[substr(line, RSTART + 9, RLENGTH - 11)] = 1
    line = substr(line, RSTART + RLENGTH)
  }
}
END {
  n = 0
  for (name in skipped) n++
  printf "cargo test: %d passed, %d failed, %d skipped\n", passed - n, failed, n
  if (passed - n == 0) exit 1
}
