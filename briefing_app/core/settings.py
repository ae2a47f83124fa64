"""Names of the settings an archive keeps (its `settings` table), in one light module so the
command line can read them without loading what uses them."""

SAMPLES_DECIDED = "samples"
"""Set at an archive's first use: whether the bundled samples were loaded."""
SAMPLES_LOADING = "loading"
"""SAMPLES_DECIDED while the samples are being loaded: the next use finishes the load."""
LOAD_SAMPLES = "load_samples"
"""The user's choice: "off" keeps the samples out of new archives."""
MAX_SIZE_MB = "max_size_mb"
"""The largest file import reads, in MB (1,000,000 bytes)."""
