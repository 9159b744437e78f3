"""Fake TF releases for the recorder's and drift's tests: each re-exports the shim and adds the
`fake_*` functions that tests/recorder_fakes.py's cases call. They run in the recorder's child
processes, imported by name (tests/ is on the children's path)."""
